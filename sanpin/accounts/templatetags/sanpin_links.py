"""`{% optional_url "catalog:signup" as signup_url %}`: the URL if that page is installed, else
"" — so a template links only to pages that exist."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name, *args):
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""

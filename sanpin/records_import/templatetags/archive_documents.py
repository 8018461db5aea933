"""`{% archive_documents certificate %}`: the imported archive files of a certificate the page
already shows (the page did the scope check; each download checks it again)."""

from django import template

from sanpin.records_import.selectors import documents_of

register = template.Library()


@register.inclusion_tag("records_import/includes/archive_documents.html")
def archive_documents(certificate):
    return {"documents": list(documents_of(certificate))}

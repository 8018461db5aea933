"""`{% supervision_panel certificate user %}`: on the certificate page, the certificate's
rectifications and revocation requests the user may see and, for provincial and national staff,
the forms that open one (the page already checked the certificate's scope; the views check it
again)."""

from django import template

from sanpin.supervision import selectors
from sanpin.supervision.forms import RectificationOpenForm, RevocationOpenForm

register = template.Library()


@register.inclusion_tag("supervision/includes/certificate_panel.html", takes_context=True)
def supervision_panel(context, certificate, user):
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    cases = selectors.certificate_cases(user, certificate)
    return {
        "show": bool(cases["rectifications"] or cases["revocations"] or cases["can_rectify"]
                     or cases["can_request_revocation"]),
        "c": certificate, "csrf_token": context.get("csrf_token"), **cases,
        "rectify_form": RectificationOpenForm(scheme=certificate.scheme, auto_id="rect_%s")
        if cases["can_rectify"] else None,
        "revoke_form": RevocationOpenForm(scheme=certificate.scheme, auto_id="rev_%s")
        if cases["can_request_revocation"] else None,
    }

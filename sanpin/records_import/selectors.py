"""Reads: archive documents reachable by a user (through the certificate's scope)."""

from sanpin.certificates.models import CERTIFICATE_ACTIONS, Certificate
from sanpin.core.access import require_role
from sanpin.core.errors import NotFound

from .models import ArchiveDocument


def archive_document(user, pk) -> ArchiveDocument:
    """The document if the user may view its certificate: 403 for a wrong role, 404 otherwise."""
    require_role(user, CERTIFICATE_ACTIONS["view"])
    visible = Certificate.objects.restrict(user, "view")
    document = ArchiveDocument.objects.filter(pk=pk, certificate__in=visible).first()
    if document is None:
        raise NotFound()
    return document


def documents_of(certificate):
    return ArchiveDocument.objects.filter(certificate__number=certificate.number).order_by("original_name")

"""Statuses of GI registrations and mark-use authorisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REVOKED = "revoked", _("已撤销")


class AuthorizationStatus(models.TextChoices):
    VALID = "valid", _("有效")
    ENDED = "ended", _("已终止")


# Not stored: an authorisation whose validity has run out reads as expired (computed when read).
EXPIRED = "expired"
EXPIRED_LABEL = _("已过期")

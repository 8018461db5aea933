"""Reads for 名特优新 listings: the scoped listings, their confirmations, tests and evaluations,
and the date of the last quality test."""

import datetime

from django.db.models import Max
from django.utils import timezone

from sanpin.certificates.choices import LAPSING, Scheme
from sanpin.certificates.models import Certificate
from sanpin.certification.models import Event
from sanpin.core.access import access_by_id
from sanpin.core.errors import NotFound

from .models import AnnualConfirmation, ConfirmationStatus, NutritionEvaluation, QualityTest


def listings(user):
    """The listings (current terms of "featured" certificates) the user may see."""
    return (Certificate.objects.restrict(user, "view").filter(scheme=Scheme.FEATURED, renewed=False)
            .select_related("holder", "holder__region"))


def listing(user, number: str) -> Certificate:
    """One listing by its number: 403 for a role that never sees certificates, 404 when missing,
    of another scheme or outside the user's scope."""
    queryset = Certificate.objects.filter(scheme=Scheme.FEATURED, renewed=False).select_related("holder",
                                                                                              "holder__region")
    row = queryset.filter(number=str(number).strip().upper()).values_list("pk", flat=True).first()
    if row is None:
        access_by_id(queryset, user, 0)  # 403 for a role that may not see certificates at all
        raise NotFound()
    return access_by_id(queryset, user, row)


def due_listings(user, today: datetime.date, within_days: int = 60):
    """Listings in force whose confirmation falls due within `within_days` (or is already past)."""
    return (listings(user).filter(status__in=list(LAPSING),
                                  valid_until__lte=today + datetime.timedelta(days=within_days))
            .order_by("valid_until", "number"))


def confirmations(user, action: str = "view"):
    return (AnnualConfirmation.objects.restrict(user, action)
            .select_related("certificate", "certificate__holder", "submitted_by", "decided_by"))


def confirmation(user, pk, action: str = "view") -> AnnualConfirmation:
    return access_by_id(AnnualConfirmation.objects.select_related("certificate", "certificate__holder"), user, pk,
                        action)


def open_confirmation(certificate) -> AnnualConfirmation | None:
    return certificate.featured_confirmations.filter(status=ConfirmationStatus.SUBMITTED).first()


def quality_tests(certificate):
    return QualityTest.objects.filter(certificate=certificate)


def nutrition_evaluations(certificate):
    return NutritionEvaluation.objects.filter(certificate=certificate)


def application_quality_test_on(certificate) -> datetime.date | None:
    """The day the county passed the application on its quality test report: the listing's
    first quality test, until one is recorded on the listing itself."""
    if not certificate.reference:
        return None
    event = (Event.objects.filter(application__number=certificate.reference, application__scheme=Scheme.FEATURED,
                                  from_state="county_review", action="pass")
             .order_by("-at").values_list("at", flat=True).first())
    return timezone.localdate(event) if event else None


def last_quality_test_on(certificate) -> datetime.date | None:
    """The date of the most recent passed quality test (a failed test does not count)."""
    recorded = quality_tests(certificate).filter(passed=True).aggregate(last=Max("tested_on"))["last"]
    first = application_quality_test_on(certificate)
    dates = [d for d in (recorded, first) if d is not None]
    return max(dates) if dates else None

"""Reads for promotion: public events and award lists, the staff's scoped lists, an entity's own
participations, the rows counted against the "十百千万" targets on a day, and counts per district."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import NotFound

from .choices import PUBLIC_EVENT_STATUSES, AwardListStatus, OutletKind, ParticipationStatus
from .models import (
    AwardEntry,
    AwardList,
    Event,
    Outlet,
    Participation,
    PromotionSpecialist,
    ShownCertificate,
    SpecialistTraining,
)

# --- public ---------------------------------------------------------------------------------------


def public_events():
    return Event.objects.filter(status__in=PUBLIC_EVENT_STATUSES).select_related("organiser")


def upcoming_and_past(today: datetime.date | None = None):
    """(Events not over yet, soonest first; events over, latest first)."""
    today = today or clock.today()
    events = public_events()
    return (events.filter(ends_on__gte=today).order_by("starts_on", "pk"),
            events.filter(ends_on__lt=today).order_by("-starts_on", "-pk"))


def approved_participations(event):
    shown = ShownCertificate.objects.select_related("certificate").order_by("pk")
    return (event.participations.filter(status=ParticipationStatus.APPROVED).select_related("entity")
            .prefetch_related(Prefetch("shown", queryset=shown)).order_by("entity__name", "pk"))


def public_event(pk) -> Event:
    try:
        return public_events().get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def public_award_lists():
    return (AwardList.objects.filter(status=AwardListStatus.PUBLISHED).select_related("organiser", "event")
            .annotate(entry_count=Count("entries")).order_by("-published_on", "-pk"))


def award_entries(award_list):
    return (AwardEntry.objects.filter(award_list=award_list).select_related("certificate", "certificate__holder")
            .order_by("rank", "pk"))


def public_award_list(pk) -> AwardList:
    try:
        return public_award_lists().get(pk=pk)
    except (AwardList.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


# --- staff and entity -----------------------------------------------------------------------------


def staff_events(user):
    return (Event.objects.restrict(user, "view").select_related("organiser")
            .annotate(pending=Count("participations", filter=Q(participations__status=ParticipationStatus.PENDING)),
                      approved=Count("participations",
                                     filter=Q(participations__status=ParticipationStatus.APPROVED)))
            .order_by("-starts_on", "-pk"))


def managed_event(user, pk) -> Event:
    return access_by_id(Event.objects.select_related("organiser", "created_by"), user, pk, "manage")


def event_participations(event):
    shown = ShownCertificate.objects.select_related("certificate").order_by("pk")
    return (event.participations.select_related("entity", "entity__region", "signed_up_by", "decided_by")
            .prefetch_related(Prefetch("shown", queryset=shown)).order_by("status", "entity__name", "pk"))


def my_participations(user):
    shown = ShownCertificate.objects.select_related("certificate").order_by("pk")
    return (Participation.objects.restrict(user, "view").filter(entity_id=user.entity_id)
            .select_related("event", "event__organiser").prefetch_related(Prefetch("shown", queryset=shown))
            .order_by("-event__starts_on", "-pk"))


def staff_award_lists(user):
    return (AwardList.objects.restrict(user, "view").select_related("organiser", "event")
            .annotate(entry_count=Count("entries")).order_by("-year", "-pk"))


def managed_award_list(user, pk) -> AwardList:
    return access_by_id(AwardList.objects.select_related("organiser", "event", "published_by"), user, pk, "manage")


def scoped_outlet(user, pk, action: str = "view") -> Outlet:
    return access_by_id(Outlet.objects.select_related("district", "registered_by"), user, pk, action)


def scoped_specialist(user, pk, action: str = "view") -> PromotionSpecialist:
    return access_by_id(PromotionSpecialist.objects.select_related("district", "registered_by"), user, pk, action)


# --- counted against targets ----------------------------------------------------------------------


def outlets_open(on: datetime.date, kind: str | None = None):
    """Outlets open on `on`: opened on or before it and not closed by then."""
    rows = Outlet.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), opened_on__lte=on)
    return rows.filter(kind=kind) if kind else rows


def specialists_counted(on: datetime.date):
    """Specialists counted on `on`: registered, trained at least once, and not left by then."""
    trained = SpecialistTraining.objects.filter(specialist=OuterRef("pk"), trained_on__lte=on)
    return PromotionSpecialist.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), Exists(trained),
                                              registered_on__lte=on)


def with_specialist_state(rows, on: datetime.date):
    """Annotate `trained` (trained by `on`) for the registry list."""
    trained = SpecialistTraining.objects.filter(specialist=OuterRef("pk"), trained_on__lte=on)
    return rows.annotate(trained=Exists(trained), training_count=Count("trainings"))


def district_counts(user, on: datetime.date, region: Region | None = None) -> list[dict]:
    """Per district in the user's scope (and within `region`): outlets of each kind open on `on`
    and specialists counted on `on`. Districts with nothing registered are left out."""
    outlets = outlets_open(on).filter(pk__in=Outlet.objects.restrict(user, "view").values("pk"))
    specialists = specialists_counted(on).filter(pk__in=PromotionSpecialist.objects.restrict(user, "view")
                                                 .values("pk"))
    if region is not None:
        outlets = outlets.filter(district__code__startswith=region.scope_prefix)
        specialists = specialists.filter(district__code__startswith=region.scope_prefix)
    table: dict[str, dict] = {}

    def row(code):
        return table.setdefault(code, {OutletKind.MARKET_ZONE: 0, OutletKind.STORE_COUNTER: 0, "specialists": 0})

    for line in outlets.values("district_id", "kind").order_by().annotate(n=Count("pk")):
        row(line["district_id"])[line["kind"]] = line["n"]
    for line in specialists.values("district_id").order_by().annotate(n=Count("pk")):
        row(line["district_id"])["specialists"] = line["n"]
    names = dict(Region.objects.filter(code__in=table).values_list("code", "name"))
    return [{"code": code, "name": names.get(code, code), "market_zones": counts[OutletKind.MARKET_ZONE],
             "store_counters": counts[OutletKind.STORE_COUNTER], "specialists": counts["specialists"]}
            for code, counts in sorted(table.items())]

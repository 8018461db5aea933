"""Receivers that mark kept counts stale when a row they are counted from is written.

- Valid-product counts (sanpin.stats.valid_store): a certificate term, a status change, a GI
  registration or its status change, or a holder moved to another region.
- First-pass counts (sanpin.stats.pass_store): an application saved or deleted while its review
  has ended (before or after the write), a sent-back event of such an application, or an
  applicant moved to another region.

Each mark is one INSERT … ON CONFLICT DO NOTHING inside the writer's transaction (so it commits
or rolls back with the change) and reads the holder's region in the same statement."""

from django.db import connection
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

# The application fields a first-pass count reads (review_quality.decided).
APPLICATION_FIELDS = frozenset({"kind", "scheme", "state", "closed_at", "entity", "entity_id"})


def _stale_table(model=None) -> str:
    from .models import ValidCountStale

    return connection.ops.quote_name((model or ValidCountStale)._meta.db_table)


def _insert(select_sql: str, params: list, model=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_stale_table(model)} (region_code, scheme, marked_at) {select_sql} "
                       "ON CONFLICT (region_code, scheme) DO NOTHING", params)


def _mark_holder(holder_id, scheme: str) -> None:
    from sanpin.catalog.models import Entity

    if holder_id is None:
        return
    entity = connection.ops.quote_name(Entity._meta.db_table)
    _insert(f"SELECT region_id, %s, %s FROM {entity} WHERE id = %s",  # noqa: S608 (model table name)
            [scheme, timezone.now(), holder_id])


def _mark_certificate(certificate_id) -> None:
    from sanpin.catalog.models import Entity
    from sanpin.certificates.models import Certificate

    from .valid_store import CERTIFICATE_SCHEMES

    entity = connection.ops.quote_name(Entity._meta.db_table)
    cert = connection.ops.quote_name(Certificate._meta.db_table)
    marks = ", ".join(["%s"] * len(CERTIFICATE_SCHEMES))
    sql = (f"SELECT e.region_id, c.scheme, %s FROM {cert} c JOIN {entity} e ON e.id = c.holder_id "  # noqa: S608
           f"WHERE c.id = %s AND c.scheme IN ({marks})")  # model table names; bound values
    _insert(sql, [timezone.now(), certificate_id, *CERTIFICATE_SCHEMES])


def on_certificate_written(sender, instance, **kwargs):
    from .valid_store import CERTIFICATE_SCHEMES

    if instance.scheme in CERTIFICATE_SCHEMES:
        _mark_holder(instance.holder_id, instance.scheme)


def on_status_change_saved(sender, instance, created, **kwargs):
    _mark_certificate(instance.certificate_id)


def on_gi_registration_written(sender, instance, **kwargs):
    from .valid_store import GI

    _mark_holder(instance.holder_id, GI)


def on_gi_status_change_saved(sender, instance, created, **kwargs):
    from sanpin.gi.models import GIRegistration

    from .valid_store import GI

    holder_id = GIRegistration.objects.filter(pk=instance.registration_id).values_list("holder_id", flat=True).first()
    _mark_holder(holder_id, GI)


def _mark_application(application_id) -> None:
    """Mark the application's (applicant region, scheme) pair if its row, as stored now, counts
    in a first-pass rate (review ended, first or renewal)."""
    from sanpin.catalog.models import Entity
    from sanpin.certification.models import Application

    from .models import PassRateStale
    from .review_quality import DECIDED_STATES, THRESHOLDS

    if application_id is None:
        return
    entity = connection.ops.quote_name(Entity._meta.db_table)
    application = connection.ops.quote_name(Application._meta.db_table)
    kinds, states = [str(kind) for kind in THRESHOLDS], list(DECIDED_STATES)
    sql = (f"SELECT e.region_id, a.scheme, %s FROM {application} a JOIN {entity} e ON e.id = a.entity_id "  # noqa: S608
           f"WHERE a.id = %s AND a.closed_at IS NOT NULL AND a.kind IN ({', '.join(['%s'] * len(kinds))}) "
           f"AND a.state IN ({', '.join(['%s'] * len(states))})")  # model table names; bound values
    _insert(sql, [timezone.now(), application_id, *kinds, *states], PassRateStale)


def _touches_counted_fields(update_fields) -> bool:
    return update_fields is None or bool(APPLICATION_FIELDS & set(update_fields))


def on_application_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    # The row as it was: a decided application that leaves its year, region, scheme or state
    # (any row with a primary key: one set by hand may already exist and be updated).
    if instance.pk is not None and _touches_counted_fields(update_fields):
        _mark_application(instance.pk)


def on_application_saved(sender, instance, created, update_fields=None, **kwargs):
    from .review_quality import DECIDED_STATES, THRESHOLDS

    if (_touches_counted_fields(update_fields) and instance.closed_at is not None
            and instance.state in DECIDED_STATES and instance.kind in THRESHOLDS):
        _mark_application(instance.pk)


def on_application_deleting(sender, instance, **kwargs):
    _mark_application(instance.pk)


def on_application_event_written(sender, instance, created=False, **kwargs):
    from .review_quality import SENT_BACK

    # A new event that is not a sending back changes no count; anything else may.
    if created and instance.action not in SENT_BACK:
        return
    _mark_application(instance.application_id)


def on_entity_loaded(sender, instance, **kwargs):
    # The region it was read with, to tell a move on save (no query: a plain attribute read).
    instance._stats_region_id = instance.__dict__.get("region_id")


def on_entity_saved(sender, instance, created, **kwargs):
    from sanpin.certification.choices import Scheme as ApplicationScheme

    from .models import PassRateStale
    from .valid_store import KEPT_SCHEMES

    before = getattr(instance, "_stats_region_id", None)
    if created or before == instance.region_id:
        return
    now = timezone.now()
    for code in {before, instance.region_id} - {None}:
        for scheme in KEPT_SCHEMES:
            _insert("SELECT %s, %s, %s WHERE 1 = 1", [code, scheme, now])  # WHERE: SQLite's upsert syntax
        for scheme in ApplicationScheme.values:
            _insert("SELECT %s, %s, %s WHERE 1 = 1", [code, scheme, now], PassRateStale)
    instance._stats_region_id = instance.region_id


def connect() -> None:
    from sanpin.catalog.models import Entity
    from sanpin.certificates.models import Certificate, StatusChange
    from sanpin.certification.models import Application, Event
    from sanpin.gi.models import GIRegistration, GIStatusChange

    post_save.connect(on_certificate_written, sender=Certificate, dispatch_uid="stats.certificate_saved")
    post_delete.connect(on_certificate_written, sender=Certificate, dispatch_uid="stats.certificate_deleted")
    post_save.connect(on_status_change_saved, sender=StatusChange, dispatch_uid="stats.status_change_saved")
    post_save.connect(on_gi_registration_written, sender=GIRegistration, dispatch_uid="stats.gi_saved")
    post_delete.connect(on_gi_registration_written, sender=GIRegistration, dispatch_uid="stats.gi_deleted")
    post_save.connect(on_gi_status_change_saved, sender=GIStatusChange, dispatch_uid="stats.gi_change_saved")
    post_init.connect(on_entity_loaded, sender=Entity, dispatch_uid="stats.entity_loaded")
    post_save.connect(on_entity_saved, sender=Entity, dispatch_uid="stats.entity_saved")
    pre_save.connect(on_application_saving, sender=Application, dispatch_uid="stats.application_saving")
    post_save.connect(on_application_saved, sender=Application, dispatch_uid="stats.application_saved")
    pre_delete.connect(on_application_deleting, sender=Application, dispatch_uid="stats.application_deleting")
    post_save.connect(on_application_event_written, sender=Event, dispatch_uid="stats.application_event_saved")
    post_delete.connect(on_application_event_written, sender=Event, dispatch_uid="stats.application_event_deleted")

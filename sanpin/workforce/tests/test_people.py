"""Training records [001 §21]: who may record whose, and bad input writing nothing."""

import datetime
from decimal import Decimal

import pytest

from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.workforce import services
from sanpin.workforce.models import TrainingRecord

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture
def base(people, regions, on_day):
    on_day(TODAY)
    return dict(person=people["gx_a"], province=regions["450000"], course="绿色食品检查员培训班",
                organiser="中国绿色食品发展中心", started_on=D(2026, 5, 10), ended_on=D(2026, 5, 12), hours="24",
                certificate_number="PX-2026-001")


def test_provincial_staff_record_training_of_their_provinces_people(users, base, people):
    row = services.training_record(actor=users["gx_province"], **base)
    assert row.hours == Decimal("24.0") and row.province_id == "450000" and row.recorded_by == users["gx_province"]
    event = AuditEvent.objects.get(verb="workforce.training_record")
    assert event.new["certificate_number"] == "PX-2026-001"
    # the internal inspector of an enterprise is trained too
    services.training_record(actor=users["gx_province"], **{**base, "person": people["gx_internal"],
                                                             "certificate_number": ""})
    assert TrainingRecord.objects.restrict(users["gx_province"], "view").count() == 2
    assert not TrainingRecord.objects.restrict(users["sh_province"], "view").exists()
    assert not TrainingRecord.objects.restrict(users["nn_city"], "view").exists()


def test_another_provinces_staff_may_not_record(users, base, people, regions):
    with pytest.raises(PermissionDenied):
        services.training_record(actor=users["sh_province"], **base)
    with pytest.raises(PermissionDenied):
        services.training_record(actor=users["gx_province"], **{**base, "person": people["sh_c"],
                                                                 "province": regions["310000"]})
    for role in ("nn_city", "inspector", "expert", "gx_applicant"):
        with pytest.raises(PermissionDenied):
            services.training_record(actor=users[role], **base)
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"course": " "}, "course"),
    ({"organiser": ""}, "organiser"),
    ({"started_on": None}, "started_on"),
    ({"ended_on": D(2026, 5, 9)}, "ended_on"),
    ({"ended_on": TODAY + datetime.timedelta(days=1)}, "ended_on"),
    ({"hours": "0"}, "hours"),
    ({"hours": "-3"}, "hours"),
    ({"hours": "abc"}, "hours"),
    ({"hours": "NaN"}, "hours"),
    ({"hours": "2.25"}, "hours"),
    ({"hours": "99999"}, "hours"),
    ({"province": None}, "province"),
])
def test_bad_input_is_refused_and_nothing_written(users, base, change, field):
    with pytest.raises(ValidationFailed) as caught:
        services.training_record(actor=users["national"], **{**base, **change})
    assert field in caught.value.fields
    assert not TrainingRecord.objects.exists() and not AuditEvent.objects.filter(verb__startswith="workforce.").exists()


def test_person_must_be_registered_in_the_province_and_certificates_are_unique(users, base, people, regions):
    with pytest.raises(ValidationFailed) as caught:
        services.training_record(actor=users["national"], **{**base, "person": people["sh_c"]})
    assert "没有在广西壮族自治区注册" in caught.value.fields["person"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.training_record(actor=users["national"], **{**base, "person": users["expert"]})
    assert "person" in caught.value.fields
    services.training_record(actor=users["national"], **base)
    with pytest.raises(ValidationFailed) as caught:
        services.training_record(actor=users["national"], **{**base, "person": people["gx_b"]})
    assert "certificate_number" in caught.value.fields

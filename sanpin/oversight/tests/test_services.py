"""Oversight services: risk records and their rectifications, unannounced inspections that the
holder cannot see until recorded, market checks that find counterfeit and unauthorised marks,
label filings and complaints routed to the right province. Bad input writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.models import Region
from sanpin.certificates.choices import Status
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanpin.notifications.models import Notification
from sanpin.oversight import selectors, services
from sanpin.oversight.models import (
    CaseKind,
    Complaint,
    ComplaintStatus,
    FlightInspection,
    FlightStatus,
    ItemResult,
    LabelFiling,
    LabelStatus,
    MarkCase,
    MarketCheckItem,
    RiskRecord,
)
from sanpin.supervision.models import Rectification, RevocationRequest, Source

from .conftest import DAY, PDF, PNG

pytestmark = pytest.mark.django_db


def _project(users, region_map, **extra):
    values = {"year": 2025, "scheme": "green_inputs", "title": "2025 年绿色生资重金属风险监测",
              "focus": "有机肥中镉、铅", "regions": [region_map["450000"]]}
    values.update(extra)
    return services.risk_project_create(actor=users["gx_province"], **values)


def _record(users, project, certificate, **extra):
    values = {"product_name": "生物有机肥", "sample_code": "S-001", "sampled_on": DAY, "indicator": "镉",
              "value": Decimal("3.5"), "unit": "mg/kg", "limit": Decimal("3"), "finding": "exceeded",
              "certificate": certificate}
    values.update(extra)
    return services.risk_record_add(actor=users["gx_province"], project=project, **values)


# --- risk monitoring ---------------------------------------------------------------------------------


def test_a_risk_finding_opens_a_rectification_with_its_source(users, regions, certificate):
    project = _project(users, regions)
    record = _record(users, project, certificate)
    assert record.region_id == "450102"  # the holder's county, from the certificate
    rectification = services.risk_record_rectify(actor=users["gx_province"], record=record,
                                                 cause="sampling_failed", detail="镉超出限量")
    assert rectification.source == Source.RISK_MONITORING
    assert rectification.source_ref == f"{project.number}/S-001"
    record.refresh_from_db()
    assert record.rectification == rectification
    certificate.refresh_from_db()
    assert certificate.status == Status.IN_RECTIFICATION


def test_a_value_above_its_limit_cannot_be_normal_and_nothing_is_written(users, regions, certificate):
    project = _project(users, regions)
    with pytest.raises(ValidationFailed) as exc:
        _record(users, project, certificate, finding="normal")
    assert "finding" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        _record(users, project, certificate, unit="", value="abc")
    assert {"unit", "value"} <= set(exc.value.fields)
    assert RiskRecord.objects.count() == 0


def test_risk_records_outside_the_project_or_scope_are_refused(users, regions, sh_certificate):
    project = _project(users, regions)
    with pytest.raises(NotFound):  # a Shanghai certificate is not in Guangxi's scope
        _record(users, project, sh_certificate)
    with pytest.raises(ValidationFailed) as exc:
        _record(users, project, None, region=regions["310101"])
    assert "region" in exc.value.fields
    with pytest.raises(ValidationFailed):  # a province cannot organise a project over another province
        _project(users, regions, regions=[regions["310000"]])
    assert RiskRecord.objects.count() == 0


def test_risk_projects_are_seen_where_they_monitor(users, regions):
    project = _project(users, regions)
    assert list(selectors.risk_projects(users["gx_province"])) == [project]
    assert list(selectors.risk_projects(users["national"])) == [project]
    assert list(selectors.risk_projects(users["sh_province"])) == []
    with pytest.raises(NotFound):
        selectors.risk_project(users["sh_province"], project.pk)


# --- unannounced inspections -------------------------------------------------------------------------------


def _plan(users, certificate, inspector):
    return services.flight_plan(actor=users["gx_province"], certificate=certificate, planned_on=DAY,
                                reason="举报线索：疑似超核准产量", inspectors=[inspector])


def test_the_holder_does_not_see_a_planned_inspection_until_it_is_recorded(users, certificate, qualified_inspector,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = _plan(users, certificate, qualified_inspector)
    holder = users["gx_applicant"]
    assert list(selectors.flights(holder)) == []
    with pytest.raises(NotFound):
        selectors.flight(holder, inspection.pk)
    # only the inspector is told; nothing reaches the holder
    assert Notification.objects.filter(recipient=qualified_inspector).exists()
    assert not Notification.objects.filter(recipient=holder).exists()
    assert list(selectors.flights(users["gx_province"])) == [inspection]
    assert list(selectors.flights(users["sh_province"])) == []

    services.flight_record(actor=qualified_inspector, inspection=inspection, inspected_on=DAY,
                           findings="生产记录完整，未见异常", conclusion="pass")
    assert list(selectors.flights(holder)) == [inspection]
    assert selectors.flight(holder, inspection.pk).status == FlightStatus.RECORDED


def test_a_negative_flight_inspection_opens_a_rectification(users, certificate, qualified_inspector):
    inspection = _plan(users, certificate, qualified_inspector)
    services.flight_record(actor=qualified_inspector, inspection=inspection, inspected_on=DAY,
                           findings="使用未经核准的原料", conclusion="rectify")
    inspection.refresh_from_db()
    assert inspection.rectification.source == Source.FLIGHT_INSPECTION
    assert inspection.rectification.cause == "inspection_failed"
    assert inspection.rectification.source_ref == inspection.number


def test_a_flight_inspection_may_ask_for_revocation_with_causes(users, certificate, qualified_inspector):
    inspection = _plan(users, certificate, qualified_inspector)
    with pytest.raises(ValidationFailed) as exc:  # no cause: refused, nothing recorded
        services.flight_record(actor=users["gx_province"], inspection=inspection, inspected_on=DAY,
                               findings="违规添加禁用品", conclusion="revoke", causes=[])
    assert "causes" in exc.value.fields
    inspection.refresh_from_db()
    assert inspection.status == FlightStatus.PLANNED
    services.flight_record(actor=users["gx_province"], inspection=inspection, inspected_on=DAY,
                           findings="违规添加禁用品", conclusion="revoke", causes=["banned_additive"])
    inspection.refresh_from_db()
    assert inspection.revocation.causes == ["banned_additive"]
    assert RevocationRequest.objects.count() == 1


def test_only_qualified_inspectors_of_the_province_and_only_assigned_ones_record(users, certificate,
                                                                                  qualified_inspector):
    with pytest.raises(ValidationFailed) as exc:
        services.flight_plan(actor=users["gx_province"], certificate=certificate, planned_on=DAY, reason="x",
                             inspectors=[users["nn_city"]])
    assert "inspectors" in exc.value.fields
    with pytest.raises(PermissionDenied):  # city staff do not plan unannounced inspections
        services.flight_plan(actor=users["nn_city"], certificate=certificate, planned_on=DAY, reason="x",
                             inspectors=[qualified_inspector])
    assert FlightInspection.objects.count() == 0


# --- market checks --------------------------------------------------------------------------------------------


def _check(users, regions, actor="nn_city", **extra):
    values = {"place": "南宁市五里亭蔬菜批发市场", "place_kind": "market", "region": regions["450102"],
              "checked_on": DAY, "inspectors": "张三、李四"}
    values.update(extra)
    return services.market_check_create(actor=users[actor], **values)


def _item(users, check, number, actor="nn_city", **extra):
    values = {"product_name": "有机肥", "seller": "A12 摊位", "mark_scheme": "green_inputs", "number_shown": number}
    values.update(extra)
    return services.market_item_add(actor=users[actor], check=check, **values)


def test_a_number_not_in_the_registry_is_a_counterfeit_mark_case(users, regions, certificate):
    check = _check(users, regions)
    item = _item(users, check, "LSSZ-45-2599990001")
    assert item.result == ItemResult.COUNTERFEIT
    assert item.registry_status == "not_found"
    case = MarkCase.objects.get(item=item)
    assert (case.kind, case.seller, case.place, case.holder) == (CaseKind.COUNTERFEIT, "A12 摊位",
                                                                  "南宁市五里亭蔬菜批发市场", None)
    assert _item(users, check, certificate.number).result == ItemResult.CONFORMING
    assert MarkCase.objects.count() == 1


def test_a_revoked_certificates_number_on_the_market_is_unauthorised_use(users, regions, certificate):
    check = _check(users, regions)
    assert _item(users, check, certificate.number).result == ItemResult.CONFORMING  # the answer is now cached
    certificate_set_status(actor=system_user(), certificate=certificate, status=Status.REVOKED, reason="取消")
    MarketCheckItem.objects.all().delete()
    item = _item(users, check, certificate.number)
    assert item.result == ItemResult.UNAUTHORISED
    case = item.case
    assert case.kind == CaseKind.UNAUTHORISED and case.holder == certificate.holder
    figures = selectors.market_figures(users["gx_province"], 2025)
    assert figures == [{"region": "450100", "region_name": "南宁市", "year": 2025, "checks": 1, "items": 1,
                        "counterfeit": 0, "unauthorised": 1}]


def test_an_expired_certificate_is_judged_on_the_day_of_the_check(users, regions, gx_entity, on_day):
    old = issue(gx_entity, approved_on=datetime.date(2021, 3, 1), product_name="旧证产品")
    assert old.valid_until < DAY
    check = _check(users, regions)
    assert _item(users, check, old.number).result == ItemResult.UNAUTHORISED


def test_misuse_by_a_holder_opens_a_rectification_for_mark_misuse(users, regions, certificate):
    check = _check(users, regions)
    item = _item(users, check, certificate.number, label_ok=False)
    assert item.result == ItemResult.LABEL_NONCONFORMING
    assert not MarkCase.objects.exists()
    with pytest.raises(PermissionDenied):  # city staff record; the province decides rectifications
        services.market_item_rectify(actor=users["nn_city"], item=item, detail="标志缺少产品编号")
    rectification = services.market_item_rectify(actor=users["gx_province"], item=item, detail="标志缺少产品编号")
    assert (rectification.cause, rectification.source) == ("mark_misuse", Source.MARKET_CHECK)
    with pytest.raises(Conflict):
        services.market_item_rectify(actor=users["gx_province"], item=item, detail="again")


def test_market_figures_per_region_and_year(users, regions, certificate):
    first = _check(users, regions)
    _item(users, first, "NOPE-1")
    _item(users, first, "NOPE-2")
    _item(users, first, certificate.number)
    second = _check(users, regions, "bs_city", region=regions["451031"], place="百色市某超市",
                    place_kind="supermarket")
    with pytest.raises(NotFound):  # Nanning staff do not reach a Baise check
        _item(users, second, "NOPE-3")
    _item(users, second, "NOPE-3", actor="bs_city")
    services.market_check_create(actor=users["sh_province"], place="上海某商超", place_kind="supermarket",
                                 region=regions["310101"], checked_on=DAY, inspectors="王五")
    national = selectors.market_figures(users["national"], 2025)
    assert [(r["region"], r["checks"], r["items"], r["counterfeit"]) for r in national] == [
        ("310000", 1, 0, 0), ("450000", 2, 4, 3)]
    gx = selectors.market_figures(users["gx_province"], 2025)
    assert [(r["region"], r["checks"], r["items"], r["counterfeit"]) for r in gx] == [
        ("450100", 1, 3, 2), ("451000", 1, 1, 1)]
    assert selectors.market_figures(users["gx_province"], 2024) == []


def test_bad_market_input_writes_nothing(users, regions):
    with pytest.raises(ValidationFailed) as exc:
        _check(users, regions, region=regions["310101"], place=" ")
    assert {"region", "place"} <= set(exc.value.fields)
    check = _check(users, regions)
    with pytest.raises(ValidationFailed):
        _item(users, check, " ", mark_scheme="nonsense")
    assert MarketCheckItem.objects.count() == 0


@given(answer=st.sampled_from(["valid", "in_rectification", "suspended", "expired", "stopped", "revoked",
                               "not_found", "forged"]),
       label_ok=st.booleans(), scheme_matches=st.booleans())
def test_classification_rules(answer, label_ok, scheme_matches):
    result = services.classify(answer, label_ok=label_ok, scheme_matches=scheme_matches)
    if answer in ("not_found", "forged"):
        assert result == ItemResult.COUNTERFEIT
    elif answer in ("suspended", "expired", "stopped", "revoked"):
        assert result == ItemResult.UNAUTHORISED
    elif label_ok and scheme_matches:
        assert result == ItemResult.CONFORMING
    else:
        assert result == ItemResult.LABEL_NONCONFORMING


# --- label filing ---------------------------------------------------------------------------------------------


def test_a_holder_files_a_label_and_the_province_returns_then_approves(users, certificate):
    holder = users["gx_applicant"]
    filing = services.label_file(actor=holder, certificate=certificate,
                                 upload=SimpleUploadedFile("label.png", PNG), description="500g 袋装")
    assert (filing.content_type, filing.status) == ("image/png", LabelStatus.SUBMITTED)
    with pytest.raises(Conflict):
        services.label_file(actor=holder, certificate=certificate, upload=SimpleUploadedFile("b.pdf", PDF))
    with pytest.raises(ValidationFailed) as exc:
        services.label_review(actor=users["gx_province"], filing=filing, approve=False, comments="")
    assert "comments" in exc.value.fields
    services.label_review(actor=users["gx_province"], filing=filing, approve=False, comments="编号字号过小")
    second = services.label_file(actor=holder, certificate=certificate, upload=SimpleUploadedFile("b.pdf", PDF))
    services.label_review(actor=users["gx_province"], filing=second, approve=True)
    second.refresh_from_db()
    assert second.status == LabelStatus.APPROVED


def test_label_files_are_checked_by_content_and_others_cannot_file(users, certificate):
    holder = users["gx_applicant"]
    with pytest.raises(ValidationFailed):  # a PDF's name on a text file
        services.label_file(actor=holder, certificate=certificate, upload=SimpleUploadedFile("x.pdf", b"hello"))
    with pytest.raises(ValidationFailed):  # Office documents are not label designs
        services.label_file(actor=holder, certificate=certificate,
                            upload=SimpleUploadedFile("x.docx", b"PK\x03\x04" + b"\x00" * 30))
    with pytest.raises(NotFound):  # another holder's certificate
        services.label_file(actor=users["sh_applicant"], certificate=certificate,
                            upload=SimpleUploadedFile("l.png", PNG))
    with pytest.raises(NotFound):  # out of Shanghai's scope
        filing = services.label_file(actor=holder, certificate=certificate, upload=SimpleUploadedFile("l.png", PNG))
        selectors.label_filing(users["sh_province"], filing.pk)
    assert LabelFiling.objects.count() == 1


# --- complaints -----------------------------------------------------------------------------------------------


def _complain(**extra):
    values = {"product_name": "有机肥", "place": "上海某农贸市场", "description": "包装上的绿色生资标志疑似假冒"}
    values.update(extra)
    return services.complaint_submit(**values)


def test_a_complaint_with_a_registered_number_goes_to_the_holders_province(users, regions, certificate):
    complaint = _complain(number_shown=certificate.number, region=regions["310000"])
    assert complaint.region_id == "450000"  # the holder's province, whatever was picked
    assert complaint.certificate == certificate
    assert list(selectors.complaints(users["gx_province"])) == [complaint]
    assert list(selectors.complaints(users["sh_province"])) == []
    assert list(selectors.complaints(users["nn_city"])) == []


def test_a_complaint_without_a_known_number_goes_to_the_region_picked(users, regions):
    complaint = _complain(number_shown="LSSZ-99-0000000000", region=regions["450100"])
    assert complaint.region_id == "450100" and complaint.certificate is None
    assert list(selectors.complaints(users["nn_city"])) == [complaint]
    assert list(selectors.complaints(users["gx_province"])) == [complaint]
    assert list(selectors.complaints(users["bs_city"])) == []


def test_bad_complaints_are_refused_with_nothing_written(regions):
    with pytest.raises(ValidationFailed) as exc:
        _complain(product_name="", place="", description="")
    assert {"product_name", "place", "description", "region"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed) as exc:
        _complain(region=regions["450000"], photo=SimpleUploadedFile("p.jpg", b"not an image"))
    assert "file" in exc.value.fields
    assert Complaint.objects.count() == 0


def test_staff_handle_a_complaint_and_upheld_opens_a_rectification(users, regions, certificate):
    complaint = _complain(number_shown=certificate.number)
    with pytest.raises(ValidationFailed):  # Shanghai staff cannot take a Guangxi complaint
        services.complaint_assign(actor=users["gx_province"], complaint=complaint, assignee=users["sh_province"])
    with pytest.raises(NotFound):
        services.complaint_assign(actor=users["sh_province"], complaint=complaint, assignee=users["sh_province"])
    services.complaint_assign(actor=users["gx_province"], complaint=complaint, assignee=users["gx_province"])
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING
    services.complaint_close(actor=users["gx_province"], complaint=complaint, result="upheld",
                             findings="现场核实：标签未标注产品编号", rectify=True, cause="mark_misuse")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.rectification.source == Source.COMPLAINT
    public = services.complaint_public(complaint.tracking_code.lower())
    assert public["status"] == "closed"
    assert "现场核实" not in str(public) and "findings" not in public


def test_a_rectification_needs_an_upheld_complaint(users, regions, certificate):
    complaint = _complain(number_shown=certificate.number)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_close(actor=users["gx_province"], complaint=complaint, result="not_upheld",
                                 findings="不属实", rectify=True)
    assert "rectify" in exc.value.fields
    assert not Rectification.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED


def test_complaint_regions_must_exist(regions):
    Region.objects.filter(code="451031").update(is_active=False)
    with pytest.raises(ValidationFailed):
        _complain(region=Region.objects.get(code="451031"))

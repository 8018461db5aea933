"""The base pages: the scoped list with its filters, entering and editing a base with the errors
beside the fields, the base's page (sign-board, links, history, checks) and its actions, each
shown and allowed only to those who may act."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from sanpin.bases import services
from sanpin.bases.choices import BaseStatus
from sanpin.bases.models import Base, BaseCheck
from sanpin.certificates.tests.factories import issue
from sanpin.certification.models import Application
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()



def make_base(actor, entity, county, name="兴宁区沙田柚绿色食品原料基地", **extra):
    values = {"base_type": "GF", "level": "district", "products": "沙田柚", "varieties": "沙田柚",
              "area_mu": "5200", "output_tons": "8000", "location": "兴宁区五塘镇", "coverage": "五塘镇 3 个行政村",
              "techniques": "绿色防控、测土配方施肥", "responsible_person": "黄建国", **extra}
    return services.base_create(actor=actor, name=name, operator=entity, county=county, **values)


def form_data(entity, **extra):
    return {"name": "兴宁区香蕉基地", "base_type": "GF", "level": "district", "operator": entity.uscc,
            "county": "450102", "products": "香蕉", "varieties": "桂蕉1号", "area_mu": "1200", "output_tons": "3000",
            "location": "兴宁区昆仑镇", "coverage": "昆仑镇", "techniques": "绿色防控", "responsible_person": "韦强",
            **extra}


def list_base(base, actor):
    with transaction.atomic():
        return services.base_list(actor=actor, base=base, reference="JD2025-TEST")


def test_signing_in_is_required_and_a_role_without_bases_is_refused(client, people):
    assert client.get(reverse("bases:list")).status_code == 302
    client.force_login(people["expert"])
    assert client.get(reverse("bases:list")).status_code == 403
    client.force_login(people["inspector"])  # may read, not enter
    assert client.get(reverse("bases:list")).status_code == 200
    assert client.get(reverse("bases:create")).status_code == 403


def test_the_list_shows_the_bases_in_scope_with_their_filters(client, people, gx_entity, regions):
    make_base(people["xn_county"], gx_entity, regions["450102"])
    make_base(people["qx_county"], gx_entity, regions["450103"], name="青秀区茉莉花基地", products="茉莉花")
    client.force_login(people["xn_county"])
    page = client.get(reverse("bases:list")).content.decode()
    assert "兴宁区沙田柚绿色食品原料基地" in page and "青秀区茉莉花基地" not in page
    assert "导出 Excel" in page and reverse("bases:import") in page
    assert "8000" in page and "按标建设" in page

    client.force_login(people["nn_city"])  # the city sees both counties and filters them
    page = client.get(reverse("bases:list"), {"q": "茉莉"}).content.decode()
    assert "青秀区茉莉花基地" in page and "兴宁区沙田柚绿色食品原料基地" not in page
    page = client.get(reverse("bases:list"), {"region": "450102"}).content.decode()
    assert "兴宁区沙田柚绿色食品原料基地" in page and "青秀区茉莉花基地" not in page
    # The export keeps the list's filters
    assert f'action="{reverse("bases:export")}?region=450102"' in page

    client.force_login(people["gx_applicant"])  # the operator sees its own, may not import
    page = client.get(reverse("bases:list")).content.decode()
    assert "青秀区茉莉花基地" in page and reverse("bases:import") not in page


def test_another_countys_base_is_not_found(client, people, gx_entity, regions):
    base = make_base(people["qx_county"], gx_entity, regions["450103"])
    client.force_login(people["xn_county"])
    assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 404
    assert client.get(reverse("bases:edit", args=[base.pk])).status_code == 404
    client.force_login(people["sh_applicant"])
    assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 404


def test_staff_enter_a_base_through_the_page(client, people, gx_entity):
    client.force_login(people["xn_county"])
    assert client.get(reverse("bases:create")).status_code == 200
    response = client.post(reverse("bases:create"), form_data(gx_entity))
    base = Base.objects.get(name="兴宁区香蕉基地")
    assert response.status_code == 302 and response["Location"] == reverse("bases:detail", args=[base.pk])
    assert (base.operator, base.county_id, base.status) == (gx_entity, "450102", BaseStatus.BUILDING)
    assert AuditEvent.objects.filter(verb="base.create", target_id=str(base.pk)).exists()


def test_bad_input_shows_chinese_errors_beside_the_fields_and_writes_nothing(client, people, gx_entity):
    client.force_login(people["xn_county"])
    response = client.post(reverse("bases:create"), form_data(
        gx_entity, name="", operator="91450102MA5XXXXXX0", county="999999", area_mu="很多", output_tons="-5"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["必填"]
    assert "尚未登记" in errors["operator"][0]
    assert "不是现行的县级区划代码" in errors["county"][0]
    assert errors["area_mu"] == ["应为数字"] and errors["output_tons"] == ["年产量不能为负数"]
    assert "不是现行的县级区划代码" in response.content.decode()
    assert not Base.objects.exists() and not AuditEvent.objects.filter(verb="base.create").exists()


def test_a_county_cannot_enter_a_base_in_another_county(client, people, gx_entity):
    client.force_login(people["xn_county"])
    response = client.post(reverse("bases:create"), form_data(gx_entity, county="450103"))
    assert response.status_code == 400
    assert response.context["form"].errors["county"] == ["该基地不在本账号管辖范围内"]
    assert not Base.objects.exists()


def test_editing_updates_the_data_and_links_the_operators_certificates(client, people, gx_entity, sh_entity,
                                                                       regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    own = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=30))
    issue(sh_entity, approved_on=TODAY - datetime.timedelta(days=30), product_name="复合肥")
    client.force_login(people["xn_county"])
    page = client.get(reverse("bases:edit", args=[base.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["operator"] == gx_entity.uscc and form.initial["area_mu"] == "5200"
    assert list(form.fields["certificates"].queryset) == [own]  # only the operator's own

    data = form_data(gx_entity, name=base.name, area_mu="6000.5", certificates=[own.pk])
    response = client.post(reverse("bases:edit", args=[base.pk]), data)
    assert response.status_code == 302
    base.refresh_from_db()
    assert str(base.area_mu) == "6000.50" and list(base.certificates.all()) == [own]
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert own.number in page and reverse("certificates:detail", args=[own.number]) in page

    # A bad value leaves the base as it was
    response = client.post(reverse("bases:edit", args=[base.pk]), {**data, "area_mu": "0"})
    assert response.status_code == 400 and "面积应大于 0" in response.content.decode()
    base.refresh_from_db()
    assert str(base.area_mu) == "6000.50"


def test_the_base_page_shows_the_sign_board_and_the_history(client, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    list_base(base, people["nn_city"])
    base.refresh_from_db()
    client.force_login(people["xn_county"])
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert "标识牌" in page and "绿色防控、测土配方施肥" in page and "黄建国" in page and "五塘镇 3 个行政村" in page
    assert "面积 5200 亩，年产量 8000 吨" in page
    assert base.directory_number in page and "录入基地信息" in page and "复核通过，纳入目录并公布" in page
    assert "JD2025-TEST" in page
    # The supervisor of a listed base sees the check and removal forms, the operator does not
    assert "登记年度检查" in page and "移出目录" in page
    client.force_login(people["gx_applicant"])
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert "登记年度检查" not in page and "申请验收" not in page


def test_the_operator_applies_for_acceptance_from_the_base_page(client, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    client.force_login(people["xn_county"])
    assert "申请验收" not in client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert client.post(reverse("bases:apply", args=[base.pk])).status_code == 403

    client.force_login(people["gx_applicant"])
    assert "申请验收" in client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    response = client.post(reverse("bases:apply", args=[base.pk]))
    application = Application.objects.get(scheme="base")
    assert response.status_code == 302 and response["Location"] == reverse("certification:detail",
                                                                           args=[application.pk])
    assert application.entity == gx_entity and application.state == "draft"
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert "验收复核申请正在办理" in page and 'action="/bases/' not in page
    # A second application while one is open: refused with the reason, nothing new
    response = client.post(reverse("bases:apply", args=[base.pk]), follow=True)
    assert "已有正在办理的验收复核申请" in response.content.decode()
    assert Application.objects.filter(scheme="base").count() == 1
    # The operator may not edit the base
    assert client.get(reverse("bases:edit", args=[base.pk])).status_code == 403


def test_yearly_check_through_the_page_once_a_year(client, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    client.force_login(people["xn_county"])
    check = {"year": TODAY.year, "checked_on": TODAY, "result": "passed", "sampling": "passed", "findings": ""}
    # Not listed yet: a wrong state
    assert client.post(reverse("bases:check", args=[base.pk]), check).status_code == 409
    list_base(base, people["nn_city"])
    response = client.post(reverse("bases:check", args=[base.pk]), {**check, "result": "failed"})
    assert response.status_code == 400 and "不合格时须写明检查情况" in response.content.decode()
    assert client.post(reverse("bases:check", args=[base.pk]), check).status_code == 302
    again = client.post(reverse("bases:check", args=[base.pk]), check)
    assert again.status_code == 409 and "年度检查已登记" in again.content.decode()
    assert BaseCheck.objects.filter(base=base).count() == 1
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert "抽检合格" in page
    client.force_login(people["qx_county"])
    assert client.post(reverse("bases:check", args=[base.pk]), check).status_code == 404


def test_removal_through_the_page_needs_cause_and_reason(client, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    list_base(base, people["nn_city"])
    client.force_login(people["xn_county"])
    response = client.post(reverse("bases:remove", args=[base.pk]), {"cause": "", "reason": " "})
    assert response.status_code == 400
    content = response.content.decode()
    assert "请选择移出原因" in content and "请写明移出的事实和依据" in content
    base.refresh_from_db()
    assert base.status == BaseStatus.LISTED

    response = client.post(reverse("bases:remove", args=[base.pk]),
                           {"cause": "incident", "reason": "抽检沙田柚检出禁用农药"}, follow=True)
    base.refresh_from_db()
    assert base.status == BaseStatus.REMOVED
    page = response.content.decode()
    assert "已移出目录" in page and "发生重大农产品质量安全事件：抽检沙田柚检出禁用农药" in page
    # A removed base is closed: no edit link, editing refused
    assert reverse("bases:edit", args=[base.pk]) not in page
    assert client.post(reverse("bases:edit", args=[base.pk]), form_data(gx_entity, name=base.name)).status_code == 409


def test_the_county_picker_offers_only_the_counties_in_scope(client, people):
    client.force_login(people["nn_city"])
    partial = client.get(reverse("bases:create"), {"county_pick": "450100"}, HTTP_HX_REQUEST="true")
    content = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in content
    assert "兴宁区" in content and "青秀区" in content and "百色市" not in content
    chosen = client.get(reverse("bases:create"), {"county_pick": "450102"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="county" id="id_county" value="450102"' in chosen

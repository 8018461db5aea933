"""Catalog pages through HTTP: sign-in and role checks (403), scope (404), form errors in
Chinese with nothing written, the region import round trip and applicant sign-up."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from sanpin.accounts.models import User
from sanpin.catalog.models import Entity, Region
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SOURCE = "广西壮族自治区人民政府2020年11月20日公告"


def as_user(client, user):
    client.force_login(user)
    return client


def entity_form(**overrides):
    data = {
        "name": "南宁青秀生态农业有限公司", "uscc": valid_uscc("450103"), "kind": "enterprise", "region": "450103",
        "address": "南宁市青秀区民族大道1号", "legal_representative": "王五", "contact_name": "赵六",
        "contact_phone": "13800000001", "email": "",
    }
    data.update(overrides)
    return data


def upload(rows, name="flags.xlsx"):
    workbook = Workbook()
    workbook.active.append(["区划代码", "脱贫县(是/否)", "脱贫年份", "国家乡村振兴重点帮扶县(是/否)", "来源"])
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


class TestAccess:
    @pytest.mark.parametrize("name", ["catalog:region_list", "catalog:entity_list", "catalog:entity_create",
                                      "catalog:my_entity", "catalog:region_import"])
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize(("user", "name"), [
        ("gx_applicant", "catalog:region_list"),
        ("gx_applicant", "catalog:entity_list"),
        ("expert", "catalog:entity_list"),
        ("inspector", "catalog:entity_create"),
        ("gx_province", "catalog:region_import"),
        ("gx_province", "catalog:region_import_template"),
        ("gx_province", "catalog:my_entity"),
    ])
    def test_wrong_roles_get_403(self, client, users, user, name):
        assert as_user(client, users[user]).get(reverse(name)).status_code == 403

    def test_a_guangxi_user_gets_404_for_a_shanghai_entity(self, client, users, sh_entity, gx_entity):
        as_user(client, users["gx_province"])
        assert client.get(reverse("catalog:entity_detail", args=[sh_entity.pk])).status_code == 404
        assert client.get(reverse("catalog:entity_edit", args=[sh_entity.pk])).status_code == 404
        assert client.get(reverse("catalog:entity_detail", args=[gx_entity.pk])).status_code == 200
        listing = client.get(reverse("catalog:entity_list")).content.decode()
        assert gx_entity.name in listing and sh_entity.name not in listing


class TestRegionPages:
    def test_browse_the_tree_with_counts(self, client, users, regions):
        as_user(client, users["nn_city"])

        top = client.get(reverse("catalog:region_list")).content.decode()
        guangxi = client.get(reverse("catalog:region_list"), {"parent": "450000"}).content.decode()

        assert "广西壮族自治区" in top and "上海市" in top
        assert "南宁市" in guangxi and "百色市" in guangxi

    def test_search_by_name_and_flag(self, client, users, regions):
        Region.objects.filter(code="451031").update(poverty_exit_county=True, poverty_exit_year=2020)
        as_user(client, users["inspector"])

        by_name = client.get(reverse("catalog:region_list"), {"q": "兴宁"}).content.decode()
        by_flag = client.get(reverse("catalog:region_list"), {"flag": "poverty"}).content.decode()

        assert "450102" in by_name
        assert "隆林各族自治县" in by_flag and "兴宁区" not in by_flag

    def test_national_staff_edit_county_flags(self, client, users, regions):
        as_user(client, users["national"])
        url = reverse("catalog:region_edit", args=["451031"])
        assert client.get(url).status_code == 200

        response = client.post(url, {"poverty_exit_county": "on", "poverty_exit_year": "2020",
                                     "key_assistance_county": "on", "flags_source": SOURCE, "reason": "按公告录入"})

        assert response.status_code == 302
        county = Region.objects.get(code="451031")
        assert county.poverty_exit_county and county.poverty_exit_year == 2020
        detail = client.get(reverse("catalog:region_detail", args=["451031"])).content.decode()
        assert "按公告录入" in detail  # the change shows in the region's history

    def test_an_invalid_edit_shows_the_reason_and_writes_nothing(self, client, users, regions):
        as_user(client, users["admin"])

        response = client.post(reverse("catalog:region_edit", args=["451031"]),
                               {"poverty_exit_county": "on", "flags_source": SOURCE, "reason": "x"})

        assert response.status_code == 400
        assert "脱贫县须填写脱贫摘帽年份" in response.content.decode()
        assert not Region.objects.get(code="451031").poverty_exit_county

    def test_provincial_staff_may_look_but_not_edit(self, client, users, regions):
        as_user(client, users["gx_province"])
        assert client.get(reverse("catalog:region_detail", args=["451031"])).status_code == 200
        assert client.get(reverse("catalog:region_edit", args=["451031"])).status_code == 403


class TestRegionImportPage:
    def test_a_bad_row_is_listed_and_nothing_imported(self, client, users, regions):
        as_user(client, users["national"])

        rows = [("451031", "是", 2020, "是", SOURCE), ("450102", "是", "", "否", SOURCE)]
        response = client.post(reverse("catalog:region_import"), {"action": "import", "file": upload(rows)})

        page = response.content.decode()
        assert response.status_code == 400
        assert "未导入任何数据" in page and "脱贫县须填写脱贫摘帽年份" in page
        assert not Region.objects.filter(poverty_exit_county=True).exists()

    def test_check_then_confirm(self, client, users, regions):
        as_user(client, users["national"])

        checked = client.post(reverse("catalog:region_import"), {
            "action": "check", "file": upload([(451031, "是", 2020, "是", SOURCE)]),
        })
        assert "校验通过" in checked.content.decode()
        assert not Region.objects.get(code="451031").poverty_exit_county

        confirmed = client.post(reverse("catalog:region_import"), {"confirm": "1"})
        assert confirmed.status_code == 200 and "导入完成" in confirmed.content.decode()
        assert Region.objects.get(code="451031").poverty_exit_county

    def test_the_template_downloads_as_xlsx(self, client, users, regions):
        as_user(client, users["admin"])

        response = client.get(reverse("catalog:region_import_template"), {"province": "450000"})

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert rows[0][0] == "区划代码" and {r[0] for r in rows[1:]} == {"450102", "450103", "451031"}


class TestEntityPages:
    def test_a_bad_uscc_shows_a_form_error_and_writes_nothing(self, client, users):
        as_user(client, users["gx_province"])
        good = valid_uscc("450103")
        count = Entity.objects.count()

        response = client.post(reverse("catalog:entity_create"),
                               entity_form(uscc=good[:-1] + ("0" if good[-1] != "0" else "1")))

        assert response.status_code == 400
        assert "统一社会信用代码校验位不正确" in response.content.decode()
        assert Entity.objects.count() == count and not AuditEvent.objects.exists()

    def test_staff_register_and_edit_an_entity(self, client, users):
        as_user(client, users["nn_city"])
        page = client.get(reverse("catalog:entity_create")).content.decode()
        assert "南宁市" in page  # the picker starts inside the user's region

        created = client.post(reverse("catalog:entity_create"), entity_form())
        entity = Entity.objects.get(name="南宁青秀生态农业有限公司")
        assert created.status_code == 302 and created["Location"] == reverse("catalog:entity_detail", args=[entity.pk])

        edited = client.post(reverse("catalog:entity_edit", args=[entity.pk]),
                             entity_form(uscc=entity.uscc, contact_name="孙九", is_active="on", reason="更正联系人"))
        assert edited.status_code == 302
        entity.refresh_from_db()
        assert entity.contact_name == "孙九"

    def test_a_region_outside_scope_is_a_form_error(self, client, users):
        as_user(client, users["nn_city"])
        response = client.post(reverse("catalog:entity_create"), entity_form(region="451031"))
        assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()

    def test_the_picker_narrows_to_the_chosen_city(self, client, regions):
        response = client.get(reverse("catalog:signup"), {"region_pick": "450100"}, HTTP_HX_REQUEST="true")

        page = response.content.decode()
        assert response.status_code == 200 and "<html" not in page
        assert "兴宁区" in page and "隆林各族自治县" not in page

    def test_the_staff_picker_stays_inside_the_users_region(self, client, users):
        as_user(client, users["nn_city"])
        response = client.get(reverse("catalog:entity_create"), {"region_pick": "451000"}, HTTP_HX_REQUEST="true")

        page = response.content.decode()
        assert "百色市" not in page and "南宁市" in page

    def test_trademarks_added_on_the_detail_page(self, client, users, gx_entity):
        as_user(client, users["gx_applicant"])
        response = client.post(reverse("catalog:trademark_add", args=[gx_entity.pk]),
                               {"name": "绿源", "registration_no": "12345678", "next": reverse("catalog:my_entity")})
        assert response["Location"] == reverse("catalog:my_entity")
        assert gx_entity.trademarks.get().name == "绿源"


    def test_trademarks_are_removed_only_within_scope(self, client, users, sh_entity):
        mark = sh_entity.trademarks.create(name="申绿", registration_no="87654321")
        url = reverse("catalog:trademark_remove", args=[mark.pk])

        assert as_user(client, users["gx_province"]).post(url).status_code == 404
        assert as_user(client, users["sh_applicant"]).post(url).status_code == 302
        assert not sh_entity.trademarks.exists()


class TestMyEntity:
    def test_an_applicant_sees_and_edits_its_own_organisation(self, client, users, gx_entity, sh_entity):
        as_user(client, users["gx_applicant"])

        page = client.get(reverse("catalog:my_entity")).content.decode()
        assert gx_entity.name in page and sh_entity.name not in page

        response = client.post(reverse("catalog:my_entity"), {
            "address": "南宁市兴宁区朝阳路8号", "contact_name": "李四", "contact_phone": "13912345678", "email": "",
        })
        assert response.status_code == 302
        gx_entity.refresh_from_db()
        assert gx_entity.address == "南宁市兴宁区朝阳路8号"

    def test_a_bad_phone_is_shown_on_the_form(self, client, users, gx_entity):
        as_user(client, users["gx_applicant"])
        response = client.post(reverse("catalog:my_entity"), {
            "address": "x", "contact_name": "李四", "contact_phone": "12345", "email": "",
        })
        assert response.status_code == 400 and "电话号码格式不正确" in response.content.decode()

    def test_an_applicant_cannot_open_another_entity(self, client, users, sh_entity):
        as_user(client, users["gx_applicant"])
        assert client.get(reverse("catalog:entity_detail", args=[sh_entity.pk])).status_code == 404


class TestSignup:
    def form(self, **overrides):
        data = {
            "username": "lvye_coop", "password1": "Qingshan-2026-lvye", "password2": "Qingshan-2026-lvye",
            "display_name": "黄八", "phone": "13712345678", "name": "隆林绿野种养专业合作社",
            "uscc": valid_uscc("451031"), "kind": "cooperative", "region": "451031",
            "address": "隆林各族自治县新州镇", "legal_representative": "黄八", "contact_name": "黄八",
            "contact_phone": "13712345678", "email": "",
        }
        data.update(overrides)
        return data

    def test_a_new_applicant_signs_up_and_is_signed_in(self, client, regions):
        assert client.get(reverse("catalog:signup")).status_code == 200

        response = client.post(reverse("catalog:signup"), self.form())

        assert response.status_code == 302 and response["Location"] == reverse("catalog:my_entity")
        user = User.objects.get(username="lvye_coop")
        assert user.entity.name == "隆林绿野种养专业合作社"
        assert "隆林绿野种养专业合作社" in client.get(reverse("catalog:my_entity")).content.decode()

    def test_a_bad_uscc_creates_no_user(self, client, regions):
        response = client.post(reverse("catalog:signup"), self.form(uscc="91451031MA5L00001"))

        assert response.status_code == 400 and "长度应为18位" in response.content.decode()
        assert not User.objects.filter(username="lvye_coop").exists() and not Entity.objects.exists()

    def test_mismatched_passwords_and_weak_passwords(self, client, regions):
        mismatch = client.post(reverse("catalog:signup"), self.form(password2="other-password-1"))
        weak = client.post(reverse("catalog:signup"), self.form(password1="12345678", password2="12345678"))

        assert "两次输入的密码不一致" in mismatch.content.decode()
        assert weak.status_code == 400 and not User.objects.filter(username="lvye_coop").exists()

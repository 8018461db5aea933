"""Services: who may change regions and entities, what is validated, and that a refused change
writes nothing (no row, no audit event)."""

import io

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc

from sanpin.accounts.choices import Role
from sanpin.accounts.models import User, system_user
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region, Trademark
from sanpin.catalog.services import (
    applicant_signup,
    entity_create,
    entity_update,
    region_update,
    regions_import_xlsx,
    trademark_add,
    trademark_remove,
)
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SOURCE = "广西壮族自治区人民政府2020年11月20日公告"


def entity_data(**overrides):
    data = {
        "name": "南宁青秀生态农业有限公司", "uscc": valid_uscc("450103"), "kind": EntityKind.ENTERPRISE,
        "region": "450103", "address": "南宁市青秀区民族大道1号", "legal_representative": "王五",
        "contact_name": "赵六", "contact_phone": "0771-5551234",
    }
    data.update(overrides)
    return data


def xlsx(rows, headers=("区划代码", "脱贫县(是/否)", "脱贫年份", "国家乡村振兴重点帮扶县(是/否)", "来源")):
    workbook = Workbook()
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestEntityCreate:
    def test_staff_register_an_entity_in_their_region(self, users):
        body = "91450103MA5L0PQ0X"
        code = body + uscc.calc_check_digit(body)
        entity = entity_create(actor=users["gx_province"], **entity_data(uscc=f" {code[:9]} {code[9:].lower()} "))

        assert entity.region_id == "450103" and entity.uscc == code and entity.registered_by == users["gx_province"]
        event = AuditEvent.objects.get(verb="entity.create")
        assert event.target_id == str(entity.pk) and event.new["uscc"] == entity.uscc

    def test_a_bad_check_character_is_refused_and_nothing_written(self, users):
        good = valid_uscc("450103")
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        before = (Entity.objects.count(), AuditEvent.objects.count())

        with pytest.raises(ValidationFailed) as caught:
            entity_create(actor=users["gx_province"], **entity_data(uscc=bad))

        assert caught.value.fields["uscc"] == ["统一社会信用代码校验位不正确"]
        assert (Entity.objects.count(), AuditEvent.objects.count()) == before

    def test_a_duplicate_code_names_the_holder_only_within_scope(self, users, gx_entity, sh_entity):
        with pytest.raises(ValidationFailed) as seen:
            entity_create(actor=users["gx_province"], **entity_data(uscc=gx_entity.uscc))
        with pytest.raises(ValidationFailed) as hidden:
            entity_create(actor=users["gx_province"], **entity_data(uscc=sh_entity.uscc))

        assert seen.value.code == "duplicate" and gx_entity.name in seen.value.fields["uscc"][0]
        assert hidden.value.fields["uscc"] == ["该统一社会信用代码已登记"]

    @pytest.mark.parametrize(("user", "region", "message"), [
        ("gx_province", "450199", "不存在"),
        ("gx_province", "450100", "请选择县级行政区划"),
        ("gx_province", "310101", "不在您的管辖范围内"),
        ("nn_city", "451031", "不在您的管辖范围内"),
    ])
    def test_the_region_must_be_a_county_in_scope(self, users, user, region, message):
        with pytest.raises(ValidationFailed) as caught:
            entity_create(actor=users[user], **entity_data(region=region))
        assert message in caught.value.fields["region"][0]

    def test_every_bad_field_is_named_at_once(self, users):
        with pytest.raises(ValidationFailed) as caught:
            entity_create(actor=users["national"], **entity_data(name=" ", contact_phone="123", email="x@", kind="x"))
        assert set(caught.value.fields) == {"name", "contact_phone", "email", "kind"}

    def test_applicants_and_inspectors_cannot_register_entities(self, users):
        for who in ("gx_applicant", "inspector", "expert"):
            with pytest.raises(PermissionDenied):
                entity_create(actor=users[who], **entity_data())

    def test_the_system_user_registers_anywhere(self, regions):
        entity = entity_create(actor=system_user(), **entity_data(region="310104", uscc=valid_uscc("310104")))
        assert entity.region_id == "310104"


class TestEntityUpdate:
    def test_an_applicant_updates_its_own_contact_data(self, users, gx_entity):
        entity_update(entity=gx_entity, actor=users["gx_applicant"],
                      data={"contact_name": "钱七", "contact_phone": "13912345678"})

        gx_entity.refresh_from_db()
        assert (gx_entity.contact_name, gx_entity.contact_phone) == ("钱七", "13912345678")
        event = AuditEvent.objects.get(verb="entity.update")
        assert event.old == {"contact_name": "李四", "contact_phone": "13800000000"}

    def test_an_applicant_cannot_change_its_name_or_code(self, users, gx_entity):
        with pytest.raises(ValidationFailed) as caught:
            entity_update(entity=gx_entity, actor=users["gx_applicant"], data={"name": "新名称", "uscc": "x"})
        assert set(caught.value.fields) == {"name", "uscc"}

    def test_an_applicant_cannot_reach_another_entity(self, users, sh_entity):
        with pytest.raises(NotFound):
            entity_update(entity=sh_entity, actor=users["gx_applicant"], data={"contact_name": "x"})

    def test_staff_cannot_move_an_entity_out_of_their_region(self, users, gx_entity):
        with pytest.raises(ValidationFailed) as caught:
            entity_update(entity=gx_entity, actor=users["nn_city"], data={"region": "451031"})
        assert "管辖范围" in caught.value.fields["region"][0]

    def test_unchanged_data_writes_nothing(self, users, gx_entity):
        entity_update(entity=gx_entity, actor=users["gx_province"], data={"name": gx_entity.name})
        assert not AuditEvent.objects.filter(verb="entity.update").exists()


class TestTrademarks:
    def test_add_and_remove(self, users, gx_entity):
        mark = trademark_add(entity=gx_entity, actor=users["gx_applicant"], name="绿源", registration_no="12345678",
                             nice_class=31)
        with pytest.raises(ValidationFailed) as caught:
            trademark_add(entity=gx_entity, actor=users["gx_applicant"], name="绿源", registration_no="12345678")
        assert "已登记" in caught.value.fields["registration_no"][0]

        trademark_remove(trademark=mark, actor=users["gx_province"])

        assert not Trademark.objects.exists()
        assert AuditEvent.objects.filter(verb__startswith="trademark.").count() == 2

    def test_out_of_scope_staff_cannot_add(self, users, sh_entity):
        with pytest.raises(NotFound):
            trademark_add(entity=sh_entity, actor=users["gx_province"], name="申绿", registration_no="87654321")


class TestRegionUpdate:
    def test_national_staff_set_county_flags(self, users, regions):
        region_update(region=regions["451031"], actor=users["national"], reason="按公告录入", data={
            "poverty_exit_county": True, "poverty_exit_year": "2020", "key_assistance_county": True,
            "flags_source": SOURCE,
        })

        county = Region.objects.get(code="451031")
        assert (county.poverty_exit_county, county.poverty_exit_year) == (True, 2020)
        assert county.admin_edited_at is not None
        event = AuditEvent.objects.get(verb="region.update")
        assert event.old["poverty_exit_county"] is False and event.new["poverty_exit_year"] == 2020

    @pytest.mark.parametrize(("code", "data", "field"), [
        ("451031", {"poverty_exit_county": True}, "poverty_exit_year"),
        ("451031", {"poverty_exit_county": True, "poverty_exit_year": 1999, "flags_source": SOURCE},
         "poverty_exit_year"),
        ("451031", {"poverty_exit_county": True, "poverty_exit_year": "二〇二〇"}, "poverty_exit_year"),
        ("450100", {"key_assistance_county": True, "flags_source": SOURCE}, "key_assistance_county"),
        ("310000", {"number_code": "20"}, "number_code"),
        ("310000", {"number_code": "9"}, "number_code"),
        ("310000", {"number_code": "51"}, "number_code"),
        ("450102", {"number_code": "44"}, "number_code"),
        ("451031", {"name": "改名"}, "name"),
    ])
    def test_invalid_values_are_refused(self, users, regions, code, data, field):
        with pytest.raises(ValidationFailed) as caught:
            region_update(region=regions[code], actor=users["admin"], data=data, reason="测试")
        assert field in caught.value.fields
        assert not AuditEvent.objects.exists()

    def test_a_reason_is_required(self, users, regions):
        with pytest.raises(ValidationFailed) as caught:
            region_update(region=regions["310000"], actor=users["admin"], data={"number_code": "10"}, reason=" ")
        assert "reason" in caught.value.fields

    def test_only_national_staff_may_edit(self, users, regions):
        with pytest.raises(PermissionDenied):
            region_update(region=regions["451031"], actor=users["gx_province"], data={}, reason="x")


class TestRegionImport:
    def test_one_bad_row_writes_nothing_and_is_listed(self, users, regions):
        data = xlsx([
            (451031.0, "是", 2020.0, "是", SOURCE),  # calamine reads numbers as floats
            ("450102", "是", "", "否", SOURCE),     # row 3: year missing
            ("450100", "是", 2020, "否", SOURCE),   # row 4: a city
            ("999999", "否", "", "否", ""),         # row 5: unknown
        ])

        result = regions_import_xlsx(actor=users["national"], file=data, dry_run=False, file_name="flags.xlsx")

        assert [row.row_no for row in result.bad_rows] == [3, 4, 5]
        assert "脱贫县须填写脱贫摘帽年份" in " ".join(result.bad_rows[0].errors)
        assert "不存在" in result.bad_rows[2].errors[0]
        assert result.written == 0
        assert not Region.objects.filter(poverty_exit_county=True).exists()
        assert not AuditEvent.objects.exists()

    def test_a_good_file_writes_each_change_with_its_audit_event(self, users, regions):
        data = xlsx([(451031, "是", 2020, "是", SOURCE), ("450102", "否", "", "否", "")])

        dry = regions_import_xlsx(actor=users["national"], file=data, dry_run=True)
        assert dry.ok and len(dry.changed_rows) == 1 and not Region.objects.filter(poverty_exit_county=True).exists()

        result = regions_import_xlsx(actor=users["national"], file=data, dry_run=False)
        assert result.written == 1
        county = Region.objects.get(code="451031")
        assert (county.poverty_exit_year, county.key_assistance_county, county.flags_source) == (2020, True, SOURCE)
        assert AuditEvent.objects.filter(verb="region.import", target_id="451031").exists()

    def test_province_codes_may_be_swapped_in_one_file(self, users, regions):
        data = xlsx([("450000", "09"), ("310000", 20.0)], headers=("区划代码", "编号省份代码"))

        result = regions_import_xlsx(actor=users["admin"], file=data, dry_run=False)

        assert result.ok, [r.errors for r in result.rows]
        assert Region.objects.get(code="450000").number_code == "09"
        assert Region.objects.get(code="310000").number_code == "20"

    def test_duplicate_codes_in_the_file_are_refused(self, users, regions):
        data = xlsx([("450000", "33"), ("310000", "33")], headers=("区划代码", "编号省份代码"))
        result = regions_import_xlsx(actor=users["admin"], file=data, dry_run=False)
        assert not result.ok and Region.objects.get(code="450000").number_code == "20"

    def test_not_an_excel_file(self, users, regions):
        with pytest.raises(ValidationFailed) as caught:
            regions_import_xlsx(actor=users["admin"], file=b"not a workbook", dry_run=True)
        assert "file" in caught.value.fields

    def test_only_national_staff_may_import(self, users, regions):
        with pytest.raises(PermissionDenied):
            regions_import_xlsx(actor=users["gx_province"], file=xlsx([]), dry_run=True)


class TestSignup:
    def signup(self, **overrides):
        data = {
            "username": "lvye_coop", "password": "Qingshan-2026-lvye", "display_name": "黄八", "phone": "13712345678",
            "name": "隆林绿野种养专业合作社", "uscc": valid_uscc("451031"), "kind": EntityKind.COOPERATIVE,
            "region": "451031", "address": "隆林各族自治县新州镇", "legal_representative": "黄八",
            "contact_name": "黄八", "contact_phone": "13712345678",
        }
        data.update(overrides)
        return applicant_signup(**data)

    def test_creates_the_user_and_its_entity_together(self, regions):
        user = self.signup()

        assert user.entity.name == "隆林绿野种养专业合作社" and user.entity.registered_by == user
        assert user.roles == {Role.APPLICANT}
        assert user.check_password("Qingshan-2026-lvye")
        event = AuditEvent.objects.get(verb="entity.signup")
        assert event.actor == user and event.new["username"] == "lvye_coop"

    def test_a_bad_code_creates_no_user_either(self, regions):
        bad = valid_uscc("451031")[:-1] + "Z"
        with pytest.raises(ValidationFailed) as caught:
            self.signup(uscc=bad)

        assert "uscc" in caught.value.fields
        assert not User.objects.filter(username="lvye_coop").exists()
        assert not Entity.objects.exists()

    def test_weak_password_taken_username_and_staff_kinds_are_refused(self, users):
        with pytest.raises(ValidationFailed) as caught:
            self.signup(username="gx_applicant", password="12345678", kind=EntityKind.BANK)
        assert {"username", "password", "kind"} <= set(caught.value.fields)

    def test_a_registered_code_is_refused_without_naming_the_holder(self, users, sh_entity):
        with pytest.raises(ValidationFailed) as caught:
            self.signup(uscc=sh_entity.uscc)
        assert sh_entity.name not in caught.value.fields["uscc"][0]


def test_signup_rolls_back_the_user_when_the_entity_cannot_be_stored(regions, monkeypatch):
    # Given another registration of the same code that lands between the check and the insert
    from django.db import IntegrityError

    def lose_the_race(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: catalog_entity.uscc")

    monkeypatch.setattr(Entity.objects, "create", lose_the_race)

    # When the sign-up runs, then it is refused and no half-made account remains
    with pytest.raises(ValidationFailed) as caught:
        TestSignup().signup()
    assert "uscc" in caught.value.fields
    assert not User.objects.filter(username="lvye_coop").exists()
    assert not AuditEvent.objects.exists()

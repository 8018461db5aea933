"""Lists, versions and residue limits through the services: what is refused writes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.certificates.choices import GreenFoodCategory
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.inputs import selectors, services, transitions
from sanpin.inputs.choices import CROP_CATEGORIES, ListStatus
from sanpin.inputs.models import AllowedInputList, ResidueLimit

from .conftest import RICE_LIMIT, make_list

pytestmark = pytest.mark.django_db


def test_the_crop_categories_are_the_green_food_product_categories():
    assert [(c, str(label)) for c, label in CROP_CATEGORIES] == \
        [(c.value, str(c.label)) for c in GreenFoodCategory]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"unit": ""}, "unit", "请填写单位"),
    ({"unit": "kg"}, "unit", "单位应为 mg/kg 或 μg/kg"),
    ({"crop": ""}, "crop", "请填写作物名称"),
    ({"crop_category": ""}, "crop_category", "产品类别代码"),
    ({"max_value": "-0.1"}, "max_value", "不能为负数"),
    ({"max_value": "0"}, "max_value", "应大于 0"),
    ({"max_value": "abc"}, "max_value", "应为数字"),
    ({"max_value": "5000"}, "max_value", "超出合理范围"),
    ({"effective_from": "2025-06-01", "effective_until": "2025-01-01"}, "effective_until", "不能早于生效日期"),
])
def test_a_bad_residue_limit_is_refused_and_nothing_is_written(gx_list, users, change, field, message):
    lst = services.list_new_version(actor=users["gx_province"], lst=gx_list, title="v2", source_document="文",
                                    effective_from=date(2026, 6, 1))
    item = lst.inputs.get(common_name="苦参碱")
    before, audits = ResidueLimit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.limit_add(actor=users["gx_province"], item=item, **{**RICE_LIMIT, **change})
    assert message in exc.value.fields[field][0]
    assert ResidueLimit.objects.count() == before and AuditEvent.objects.count() == audits


def test_overlapping_dates_for_the_same_input_and_crop_are_refused(users, regions, on_day):
    on_day(date(2026, 3, 2))
    lst = make_list(users["gx_province"], publish=False, inputs=[("吡虫啉", [])])
    item = lst.inputs.get()
    services.limit_add(actor=users["gx_province"], item=item, **RICE_LIMIT, effective_from="2024-01-01",
                       effective_until="2025-12-31")
    with pytest.raises(ValidationFailed) as exc:
        services.limit_add(actor=users["gx_province"], item=item, **{**RICE_LIMIT, "max_value": "0.1"},
                           effective_from="2025-06-01")
    assert "日期重叠" in exc.value.fields["effective_from"][0]
    # The day after the first ends is fine, and another crop never clashes.
    services.limit_add(actor=users["gx_province"], item=item, **{**RICE_LIMIT, "max_value": "0.1"},
                       effective_from="2026-01-01")
    services.limit_add(actor=users["gx_province"], item=item, **{**RICE_LIMIT, "crop": "柑橘", "crop_category": "04"})
    assert item.limits.count() == 3


def test_an_input_with_one_bad_limit_is_not_written_at_all(users, regions, on_day):
    on_day(date(2026, 3, 2))
    lst = make_list(users["gx_province"], publish=False, inputs=[])
    with pytest.raises(ValidationFailed) as exc:
        services.input_add(actor=users["gx_province"], lst=lst, common_name="阿维菌素",
                           limits=[RICE_LIMIT, {**RICE_LIMIT, "crop": "柑橘", "unit": ""}])
    assert "limits[1].unit" in exc.value.fields
    assert not lst.inputs.exists() and not ResidueLimit.objects.exists()


def test_publishing_a_new_version_supersedes_the_old_from_its_effective_day(gx_list, users):
    draft = services.list_new_version(actor=users["gx_province"], lst=gx_list, title="广西绿色食品可用农药清单（2026）",
                                      source_document="桂绿发〔2026〕1 号", effective_from=date(2026, 7, 1))
    assert draft.inputs.count() == 2 and draft.status == ListStatus.DRAFT
    services.input_remove(actor=users["gx_province"], item=draft.inputs.get(common_name="苦参碱"))
    services.list_publish(actor=users["gx_province"], lst=draft)
    gx_list.refresh_from_db()
    assert gx_list.status == ListStatus.SUPERSEDED and gx_list.effective_until == date(2026, 6, 30)
    # Each day is governed by the version then in force.
    assert selectors.list_in_force("450102", "pesticide", date(2026, 6, 30)) == gx_list
    assert selectors.list_in_force("450102", "pesticide", date(2026, 7, 1)) == draft
    assert selectors.list_in_force("450102", "pesticide", date(2023, 12, 31)) is None
    assert AuditEvent.objects.filter(verb="inputs.list.supersede", target_id=str(gx_list.pk)).exists()


def test_a_new_version_must_start_after_the_one_in_force(gx_list, users):
    draft = make_list(users["gx_province"], title="同日版本", effective_from=date(2024, 1, 1), publish=False)
    with pytest.raises(ValidationFailed) as exc:
        services.list_publish(actor=users["gx_province"], lst=draft)
    assert "生效日期须晚于" in exc.value.fields["effective_from"][0]
    gx_list.refresh_from_db()
    assert gx_list.status == ListStatus.PUBLISHED and gx_list.effective_until is None


def test_a_province_list_wins_over_the_national_one_and_the_national_one_covers_the_rest(gx_list, users):
    national = make_list(users["national"], title="全国绿色食品可用农药清单", region="")
    assert selectors.list_in_force("450102", "pesticide", date(2026, 3, 2)) == gx_list
    assert selectors.list_in_force("310101", "pesticide", date(2026, 3, 2)) == national
    assert selectors.list_in_force("310101", "fertilizer", date(2026, 3, 2)) is None


def test_the_transition_table(gx_list, users):
    """Every row of the table, and what is not in it."""
    assert [(t.action, t.source, t.target) for t in transitions.TRANSITIONS] == [
        ("publish", "draft", "published"), ("supersede", "published", "superseded"),
        ("retire", "published", "retired")]
    with pytest.raises(TransitionNotAllowed):
        services.list_publish(actor=users["gx_province"], lst=gx_list)
    empty = make_list(users["gx_province"], title="空清单", effective_from=date(2027, 1, 1), publish=False, inputs=[])
    with pytest.raises(ValidationFailed, match="还没有任何投入品"):
        services.list_publish(actor=users["gx_province"], lst=empty)
    with pytest.raises(TransitionNotAllowed):
        services.list_retire(actor=users["gx_province"], lst=empty, reason="作废")
    with pytest.raises(ValidationFailed):
        services.list_retire(actor=users["gx_province"], lst=gx_list, reason="")
    services.list_retire(actor=users["gx_province"], lst=gx_list, reason="国家标准修订", from_day=date(2026, 4, 1))
    gx_list.refresh_from_db()
    assert gx_list.status == ListStatus.RETIRED and gx_list.effective_until == date(2026, 3, 31)
    assert selectors.list_in_force("450102", "pesticide", date(2026, 3, 31)) == gx_list
    assert selectors.list_in_force("450102", "pesticide", date(2026, 4, 1)) is None
    with pytest.raises(TransitionNotAllowed):
        services.list_retire(actor=users["gx_province"], lst=gx_list, reason="再次")


def test_a_published_list_is_not_edited(gx_list, users):
    with pytest.raises(Conflict):
        services.input_add(actor=users["gx_province"], lst=gx_list, common_name="阿维菌素")
    with pytest.raises(Conflict):
        services.limit_add(actor=users["gx_province"], item=gx_list.inputs.first(), **RICE_LIMIT)


def test_a_province_manages_only_its_own_lists(gx_list, users):
    with pytest.raises(NotFound):
        services.list_new_version(actor=users["sh_province"], lst=gx_list, title="x", source_document="x",
                                  effective_from=date(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        services.list_publish(actor=users["nn_city"], lst=gx_list)
    with pytest.raises(ValidationFailed):
        services.list_create(actor=users["gx_province"], kind="pesticide", title="沪", issuer_region="310000",
                             issuer_name="x", source_document="x", effective_from=date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.list_create(actor=users["gx_applicant"], kind="pesticide", title="x", issuer_name="x",
                             source_document="x", effective_from=date(2026, 1, 1))
    # National staff manage any province's list; every agency reads national lists.
    services.list_retire(actor=users["national"], lst=gx_list, reason="测试")
    national = make_list(users["national"], title="全国清单", region="")
    assert AllowedInputList.objects.restrict(users["sh_province"], "view").filter(pk=national.pk).exists()
    assert not AllowedInputList.objects.restrict(users["sh_province"], "manage").filter(pk=national.pk).exists()
    assert not AllowedInputList.objects.restrict(users["sh_province"], "view").filter(pk=gx_list.pk).exists()


def test_residue_limit_for_sampling_takes_the_crop_named_in_the_product_else_the_strictest(users, regions, on_day):
    on_day(date(2026, 3, 2))
    make_list(users["gx_province"], inputs=[("吡虫啉", [
        RICE_LIMIT, {**RICE_LIMIT, "crop": "小麦", "max_value": "0.02"}])])
    common = {"region_code": "450102", "category": "01", "indicators": ["吡虫啉", "毒死蜱"], "day": date(2026, 3, 2)}
    rice = selectors.residue_limits(**common, product_name="绿源牌水稻")
    assert list(rice) == ["吡虫啉"] and rice["吡虫啉"].max_value == Decimal("0.05")
    assert selectors.residue_limits(**common, product_name="杂粮")["吡虫啉"].max_value == Decimal("0.02")
    assert selectors.residue_limits(**{**common, "category": "04"}, product_name="") == {}
    assert selectors.residue_limits(**{**common, "region_code": "310101"}, product_name="") == {}

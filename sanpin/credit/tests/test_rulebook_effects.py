"""The rulebook's "申报+信用" effects: version 1's values, and the checks a published version passes."""

import copy
import datetime

import pytest

from sanpin.core.errors import ValidationFailed
from sanpin.credit import rulebook as rulebooks
from sanpin.credit.models import Rulebook
from sanpin.credit.services import rulebook_publish

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
V1 = {"site_inspection_grades": ["D"],
      "block_new_applications": {"below_score": 40, "days": 365},
      "renewal_inspection_waiver": {"grades": ["A"], "clean_years": 3}}


def test_version_1_carries_the_default_effects():
    assert rulebooks.default_values()["effects"] == V1
    assert rulebooks.in_force(datetime.date(2024, 1, 1)).effects == V1
    stored = Rulebook.objects.filter(version=1).first()
    if stored is not None:  # written by the migrations
        assert stored.effects == V1


def _with(path, value):
    effects = copy.deepcopy(V1)
    target = effects
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return effects


@pytest.mark.parametrize(("effects", "message"), [
    (_with(("site_inspection_grades",), ["E"]), "加做现场检查的等级应为 A、B、C、D 中的一个或多个（不重复）"),
    (_with(("site_inspection_grades",), "D"), "加做现场检查的等级应为 A、B、C、D 中的一个或多个（不重复）"),
    (_with(("block_new_applications", "days"), -1), "禁止新申请的天数应为 0 到 3650 之间的整数"),
    (_with(("block_new_applications", "days"), 36.5), "禁止新申请的天数应为 0 到 3650 之间的整数"),
    (_with(("block_new_applications", "below_score"), 120), "禁止新申请的分数线应在 0 到 100 之间"),
    (_with(("renewal_inspection_waiver", "grades"), ["A", "A"]),
     "续展免现场检查的等级应为 A、B、C、D 中的一个或多个（不重复）"),
    (_with(("renewal_inspection_waiver", "grades"), ["A", "D"]), "同一等级不能既加做现场检查又免续展现场检查"),
    (_with(("renewal_inspection_waiver", "clean_years"), 0), "无不良记录年数应为 1 到 10 之间的整数"),
    ({"site_inspection_grades": ["D"]}, "信用应用规则应包含：加做现场检查的等级、禁止新申请、续展免现场检查三项"),
    ([], "信用应用规则应包含：加做现场检查的等级、禁止新申请、续展免现场检查三项"),
])
def test_bad_effects_are_refused_with_the_reason(users, on_day, effects, message):
    on_day(DAY)
    values = rulebooks.default_values()
    with pytest.raises(ValidationFailed) as refused:
        rulebook_publish(actor=users["national"], effective_from=DAY, weights=values["weights"],
                         thresholds=values["thresholds"], half_life_days=values["half_life_days"],
                         base_score=values["base_score"], sampling_weights=values["sampling_weights"],
                         effects=effects, note="修订")
    assert refused.value.fields["effects"] == [message]
    assert not Rulebook.objects.filter(version__gt=1).exists()


def test_good_effects_are_published_with_the_version(users, on_day):
    on_day(DAY)
    values = rulebooks.default_values()
    effects = {"site_inspection_grades": ["C", "D"], "block_new_applications": {"below_score": 45.5, "days": 0},
               "renewal_inspection_waiver": {"grades": ["A", "B"], "clean_years": 5}}
    rulebook = rulebook_publish(actor=users["national"], effective_from=DAY, weights=values["weights"],
                                thresholds=values["thresholds"], half_life_days=values["half_life_days"],
                                base_score=values["base_score"], sampling_weights=values["sampling_weights"],
                                effects=effects, note="C 级加做现场检查")
    rulebook.refresh_from_db()
    assert rulebook.effects == effects and rulebooks.in_force(DAY).effects == effects

"""The pure scoring: decay, clamping, grades, and properties that hold for any events."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sanpin.credit import rulebook as rulebooks
from sanpin.credit.choices import CreditKind
from sanpin.credit.scoring import compute, decayed, grade_for

ON = datetime.date(2026, 3, 2)
RULES = rulebooks.default_rulebook()


@dataclass(frozen=True)
class Event:
    kind: str
    occurred_on: datetime.date


def test_decay_halves_a_weight_after_one_half_life():
    assert decayed(-10, 0, 730) == -10
    assert decayed(-10, 730, 730) == -5
    assert decayed(-10, 1460, 730) == -2.5
    old = Event(CreditKind.SAMPLING_FAILED, ON - datetime.timedelta(days=730))
    result = compute([old], RULES, ON)
    assert result.contributions == [(old, -5.0)] and result.score == 80.0


def test_events_after_the_day_do_not_count_and_a_fresh_file_has_the_base_score():
    result = compute([Event(CreditKind.REVOCATION, ON + datetime.timedelta(days=1))], RULES, ON)
    assert (result.score, result.grade, result.contributions, result.rulebook_version) == (85.0, "B", [], 1)


def test_grades_and_clamping():
    assert [grade_for(s, RULES.thresholds) for s in (100, 90, 89.9, 75, 74.9, 60, 59.9, 0)] == [
        "A", "A", "B", "B", "C", "C", "D", "D"]
    many = [Event(CreditKind.REVOCATION, ON)] * 5
    assert compute(many, RULES, ON).score == 0.0
    awards = [Event(CreditKind.AWARD, ON)] * 10
    assert compute(awards, RULES, ON).score == 100.0


def test_the_explanation_lists_the_largest_effect_first():
    events = [Event(CreditKind.SAMPLING_PASSED, ON), Event(CreditKind.REVOCATION, ON),
              Event(CreditKind.AWARD, ON)]
    kinds = [event.kind for event, _points in compute(events, RULES, ON).contributions]
    assert kinds == [CreditKind.REVOCATION, CreditKind.AWARD, CreditKind.SAMPLING_PASSED]


events_strategy = st.lists(
    st.builds(Event, st.sampled_from(CreditKind.values),
              st.dates(min_value=datetime.date(2015, 1, 1), max_value=ON)), max_size=15)
negative_kinds = [k for k, v in rulebooks.DEFAULT_WEIGHTS.items() if v < 0]


@given(events=events_strategy, kind=st.sampled_from(negative_kinds),
       day=st.dates(min_value=datetime.date(2015, 1, 1), max_value=ON),
       base=st.decimals(min_value=0, max_value=100, places=1))
def test_a_negative_event_never_raises_the_score_and_the_score_stays_in_range(events, kind, day, base):
    rules = rulebooks.default_rulebook()
    rules.base_score = Decimal(base)
    before = compute(events, rules, ON)
    after = compute([*events, Event(kind, day)], rules, ON)
    assert 0 <= after.score <= 100 and 0 <= before.score <= 100
    assert after.score <= before.score
    assert "ABCD".index(after.grade) >= "ABCD".index(before.grade)

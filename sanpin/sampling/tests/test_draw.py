"""The draw without the database: reproducible from its seed, independent of the order the
candidates are listed in, and heavier weights drawn more often."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.sampling.draw import rng_for, weighted_sample

weights = st.lists(st.decimals(min_value=0, max_value=10, places=3), min_size=0, max_size=40)


@given(weights=weights, k=st.integers(min_value=0, max_value=45), seed=st.integers(min_value=0, max_value=2**63 - 1),
       shuffle_seed=st.integers())
def test_same_seed_and_weights_give_the_same_selection(weights, k, seed, shuffle_seed):
    items = [(i + 1, w) for i, w in enumerate(weights)]
    shuffled = items[:]
    random.Random(shuffle_seed).shuffle(shuffled)
    first = weighted_sample(items, k, rng_for(seed, "450000"))
    assert first == weighted_sample(shuffled, k, rng_for(seed, "450000"))
    drawable = [i for i, w in items if w > 0]
    assert len(first) == min(k, len(drawable))
    assert len(set(first)) == len(first)
    assert set(first) <= set(drawable)  # weight 0 is never drawn


@settings(max_examples=25, deadline=None)
@given(low=st.integers(min_value=1, max_value=5), factor=st.integers(min_value=2, max_value=5),
       others=st.integers(min_value=0, max_value=4), base=st.integers(min_value=0, max_value=2**40))
def test_a_heavier_candidate_is_drawn_more_often(low, factor, others, base):
    # One light and one heavy candidate (at least twice the weight) among others of the light
    # weight, one drawn per seed over 1000 seeds: the heavy one is expected at least twice as often
    # as the light one, a gap of about seven standard deviations, so the test does not fail by chance.
    items = [(1, low), (2, low * factor)] + [(10 + i, low) for i in range(others)]
    light = heavy = 0
    for seed in range(base, base + 1000):
        picked = weighted_sample(items, 1, rng_for(seed, "450000"))
        light += picked == [1]
        heavy += picked == [2]
    assert heavy > light


def test_more_weight_more_often_when_several_are_drawn():
    items = [(i, 1) for i in range(1, 21)] + [(99, 3)]
    hits = sum(99 in weighted_sample(items, 5, rng_for(seed, "310000")) for seed in range(1000))
    light_hits = sum(1 in weighted_sample(items, 5, rng_for(seed, "310000")) for seed in range(1000))
    assert hits > light_hits * 1.5


def test_provinces_draw_from_their_own_stream():
    items = [(i, 1) for i in range(1, 50)]
    assert weighted_sample(items, 5, rng_for(1, "450000")) != weighted_sample(items, 5, rng_for(1, "310000"))

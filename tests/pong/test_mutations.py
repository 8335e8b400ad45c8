"""A port with one rule changed fails the gate, and each layer catches something.

Each case runs only the layers and variant named, through equiv's own runner (equiv.run_items),
against a mutant of pong_jax registered with equiv.register_adapter (tests/pong/mutants.py).
"""
import pytest

import equiv
from tests.pong import mutants


def failed_items(mutant, layers, variant, aligned=True, only=(), **tier):
    results = equiv.run_items("puffer_pong", mutants.register(mutant, aligned), layers=layers, variants=variant,
                              only=only or (), **tier)
    return {k: r for k, r in results.items() if r.outcome != "passed"}


@pytest.mark.parametrize("mutant, variant, item", [
    ("serve_plus_one", "discrete_fs8", "L1::points::discrete_fs8"),
    ("fresh_obs_after_point", "discrete_fs8", "L1::points::discrete_fs8"),
    ("no_ball_clip", "discrete_fs1", "L1::right_paddle_edges::discrete_fs1"),
    ("fused_multiply_add", "continuous_fs1", "L1::hits::continuous_fs1"),
    ("paddle_on_screen", "discrete_fs1", "L1::anywhere::discrete_fs1"),
    ("reward_summed", "small_court_fs8", "L1::hit_then_point::small_court_fs8"),
])
def test_L1_catches(mutant, variant, item):
    bad = failed_items(mutant, ("L1",), variant, only=[item])
    assert item in bad and bad[item].outcome == "failed", bad


def test_L2_traces_catch_a_stale_observation_fix():
    bad = failed_items("fresh_obs_after_point", ("L2",), "discrete_fs1")
    assert "L2::point_opponent::discrete_fs1" in bad
    assert "obs" in bad["L2::point_opponent::discrete_fs1"].summary


@pytest.mark.parametrize("mutant", ["serve_plus_one", "division_by_reciprocal"])
def test_L3_lockstep_catches(mutant):
    # division_by_reciprocal is exact one env at a time; batched (vmap) it is 1 ulp off.
    bad = failed_items(mutant, ("L3",), "discrete_fs8", only=["L3::lockstep"])
    assert bad["L3::lockstep[random]::discrete_fs8"].outcome == "failed"


def test_L3_statistics_catch_a_slower_opponent():
    # Declared unaligned, so nothing is compared step by step: only statistics can judge.
    bad = failed_items("slow_opponent", ("L3",), "discrete_fs8", aligned=False)
    assert bad and all(k.startswith("L3::stats[random]") for k in bad), bad
    assert any(r.outcome == "failed" for r in bad.values())

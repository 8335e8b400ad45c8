"""The tcg suite catches a one-rule mutant of the reference at every layer, and the reference
against itself passes (no false alarm).

Each case runs only the layers and variant named through equiv's own runner (equiv.run_items).
"""
import pytest

import equiv
from tests.tcg import mutants


def not_passed(reference, ported, layers, variant, only=(), policies=None):
    results = equiv.run_items(reference, ported, layers=layers, variants=variant, only=only or (), policies=policies)
    return {k: r for k, r in results.items() if r.outcome != "passed"}


@pytest.mark.parametrize("mutant, variant, item", [
    ("weakness_plus_10", "fire_vs_water", "L1::attack_none::fire_vs_water"),
    ("paralysis_ends_for_both", "dragon_vs_psychic", "L1::checkup::dragon_vs_psychic"),
    ("two_supporters", "fire_vs_water", "L1::perturbed::fire_vs_water"),
])
def test_L1_catches(mutant, variant, item):
    bad = not_passed("tcg_python", mutants.register(mutant), ("L1",), variant, only=[item])
    assert item in bad and bad[item].outcome == "failed", bad


@pytest.mark.parametrize("mutant, variant, trace", [
    ("weakness_plus_10", "fighting_vs_grass", "L2::ex10_2_3_growl_then_weakness::fighting_vs_grass"),
    ("paralysis_ends_for_both", "dragon_vs_psychic", "L2::ex10_5_paralysis::dragon_vs_psychic"),
])
def test_L2_traces_catch(mutant, variant, trace):
    bad = not_passed("tcg_python", mutants.register(mutant), ("L2",), variant)
    assert trace in bad and bad[trace].outcome == "failed", sorted(bad)


def test_L3_lockstep_catches_a_second_supporter():
    bad = not_passed("tcg_python", mutants.register("two_supporters"), ("L3",), "fire_vs_water",
                     only=["L3::lockstep"])
    assert bad and all(r.outcome == "failed" for r in bad.values()), bad
    assert "legal" in next(iter(bad.values())).summary


def test_L3_statistics_catch_pointless_knockouts():
    # Declared unaligned (its own generator, no state sync): only the statistics can judge.
    bad = not_passed("tcg_python", mutants.register("knockouts_score_nothing", aligned=False), ("L3",),
                     "fire_vs_water", policies=("greedy",))
    assert "L3::stats[greedy]:points::fire_vs_water" in bad
    assert bad["L3::stats[greedy]:points::fire_vs_water"].outcome == "failed"


def test_reference_against_itself_passes_every_layer():
    bad = not_passed("tcg_python", "tcg_python", ("L1", "L2", "L3"), "dragon_vs_psychic")
    assert not bad, {k: r.summary for k, r in bad.items()}

"""A pokejax with one rule changed fails the gate against Showdown, and each layer catches one:
L1 (injected states, one transition), L2 (a scripted trace), L3 lockstep and L3 statistics.
Mutants: tests/pokejax/mutants.py. Each case runs the named items through equiv's own runner."""
import pytest

from tests.pokejax import mutants
from tests.pokemon.test_gate import run_items


def failed(mutant, layers, variant, only, **tier):
    results = run_items(mutants.register(mutant), layers, variant, only=only, **tier)
    assert results, f"no item matched {only}"
    return {k: r for k, r in results.items() if r.outcome == "failed"}


@pytest.mark.slow  # L1 catching a mutant at quick is shown by the edges test below (one compile less in CI)
def test_L1_catches_a_wrong_crit_chance():
    bad = failed("crit_double_speed", ("L1",), "customgame", ["L1::crit_and_accuracy"], l1_examples=100)
    assert "L1::crit_and_accuracy::customgame" in bad, bad


def test_L2_trace_catches_wrong_recoil_and_names_the_field():
    bad = failed("recoil_third", ("L2",), "customgame", ["L2::special_recoil"])
    item = bad.get("L2::special_recoil::customgame")
    assert item is not None, bad
    assert "hp" in item.summary, item.summary


def test_L3_lockstep_catches_a_wrong_crit_chance():
    bad = failed("crit_double_speed", ("L3",), "customgame", ["L3::lockstep"])
    assert "L3::lockstep[random]::customgame" in bad, bad


def test_L3_statistics_catch_status_moves_that_never_land():
    bad = failed("status_moves_miss", ("L3",), "customgame", ["L3::stats[random]:status_per_turn"])
    assert "L3::stats[random]:status_per_turn::customgame" in bad, bad


def test_L1_edges_catch_a_wrong_multiplier_at_the_stage_limit():
    """An edge mutant (wrong only at stage +6) caught at the quick tier by the edge strategy."""
    bad = failed("stage6_times_3_9", ("L1",), "customgame", ["L1::edges"])
    assert "L1::edges::customgame" in bad, bad


@pytest.mark.slow  # a second edge mutant at quick (one compile and 30 Showdown cases more than CI needs)
def test_L1_edges_catch_a_damage_cap_off_by_one():
    """Wrong only where getDamage's cap bites (997 -> 998), and visible only through a Substitute,
    which takes and records the uncapped damage: the edge strategy puts one there at the quick tier."""
    bad = failed("damage_cap_998", ("L1",), "customgame", ["L1::edges"])
    item = bad.get("L1::edges::customgame")
    assert item is not None, bad
    assert "last_damage" in item.summary or "substitute" in item.summary, item.summary

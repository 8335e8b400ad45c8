"""The pokemon suite through equiv's own runner: the self-pair passes, a broken conversion fails."""
import pytest

import equiv
from tests.pokemon import mutants


def run_items(ported, layers, variant, only=(), tier_name="quick", **tier):
    return equiv.run_items("ts_showdown", ported, layers=layers, variants=variant, only=only or (),
                           tier=tier_name, **tier)


def test_broken_state_conversion_fails_L1():
    results = run_items(mutants.register(), ("L1",), "customgame",
                        only=["L1::roundtrip[ported]", "L1::played_transition"], l1_examples=40)
    failed = {k: r for k, r in results.items() if r.outcome == "failed"}
    assert failed, {k: r.summary for k, r in results.items()}
    assert any("modified_stats" in r.summary or "modified_stats" in (r.message or "") for r in failed.values()), \
        {k: r.summary for k, r in failed.items()}


def test_self_pair_L1_passes():
    # L2 against itself (every trace, ~10 min under load) runs in the slow standard self-pair below
    results = run_items("ts_showdown", ("L1",), "customgame", l1_examples=12)
    assert results and all(r.outcome == "passed" for r in results.values()), \
        {k: (r.outcome, r.summary) for k, r in results.items() if r.outcome != "passed"}


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["customgame", "randombattle"])
def test_self_pair_every_layer_standard(variant):
    results = run_items("ts_showdown", ("L1", "L2", "L3"), variant, tier_name="standard")
    bad = {k: (r.outcome, r.summary) for k, r in results.items() if r.outcome != "passed"}
    assert not bad, bad

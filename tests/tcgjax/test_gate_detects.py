"""The gate catches a one-rule tcgjax mutant at every layer (L1, L2, L3 lockstep, L3 statistics),
and the correct tcgjax passes the same items (no false alarm).

Each case runs only the items named, through equiv's own runner (equiv.run_items), against the real
reference ``tcg_python``. The mutants are the real engine built with one ``Rules`` field changed
(tests/tcgjax/mutants.py)."""
import pytest

import equiv
from tests.tcgjax import mutants


def outcomes(ported, layers, variant, only, policies=None):
    return equiv.run_items("tcg_python", ported, layers=layers, variants=variant, only=only, policies=policies)


# (layer, mutant, variant, item prefix, policies)
CASES = [
    ("L1", "weakness_10", "fire_vs_water", "L1::attack_none::fire_vs_water", None),
    ("L2", "weakness_10", "fighting_vs_grass", "L2::ex10_2_3_growl_then_weakness::fighting_vs_grass", None),
    ("L3", "two_supporters", "fire_vs_water", "L3::lockstep[random]::fire_vs_water", ("random",)),
    ("L3", "ex_worth_1", "fire_vs_water", "L3::stats[greedy]:", ("greedy",)),
]


@pytest.mark.parametrize("layer, mutant, variant, item, policies", CASES, ids=[c[1] + "-" + c[3] for c in CASES])
def test_the_item_fails_the_mutant_and_passes_the_correct_port(layer, mutant, variant, item, policies):
    broken = outcomes(mutants.register(mutant), (layer,), variant, [item], policies)
    assert any(r.outcome == "failed" for r in broken.values()), {k: (r.outcome, r.summary) for k, r in broken.items()}
    right = outcomes("tcgjax", (layer,), variant, [item], policies)
    assert all(r.outcome == "passed" for r in right.values()), {k: (r.outcome, r.summary) for k, r in right.items()}

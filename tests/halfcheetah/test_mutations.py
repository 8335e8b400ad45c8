"""A port with one physical rule changed fails the gate, and each layer catches something.

Each case runs only the layers and variant named, through equiv's own runner (equiv.run_items),
against a mutant of halfcheetah_jax registered with equiv.register_adapter
(tests/halfcheetah/mutants.py). The correct port passing the same items is the gate itself
(``pytest --equiv reference=mujoco ported=halfcheetah_jax``).
"""
import pytest

import equiv
from tests.halfcheetah import mutants


def failed_items(mutant, layers, aligned=True, only=(), **tier):
    results = equiv.run_items("mujoco", mutants.register(mutant, aligned), layers=layers, variants="f64",
                              only=only or (), **tier)
    return {k: r for k, r in results.items() if r.outcome != "passed"}


@pytest.mark.parametrize("mutant, item", [
    ("armature_doubled", "L1::played::f64"),
    ("no_implicit_damping", "L1::airborne::f64"),
    ("friction_cone_scaled", "L1::pressed::f64"),
])
def test_L1_catches(mutant, item):
    bad = failed_items(mutant, ("L1",), only=[item], l1_examples=10)
    assert item in bad and bad[item].outcome == "failed", bad


def test_L2_trace_catches_explicit_damping():
    bad = failed_items("no_implicit_damping", ("L2",), only=["L2::limits_hit_hard"])
    assert bad["L2::limits_hit_hard::f64"].outcome == "failed", bad


def test_L3_lockstep_catches_friction():
    bad = failed_items("friction_cone_scaled", ("L3",), only=["L3::lockstep[random]"], lockstep_episodes=1)
    assert bad["L3::lockstep[random]::f64"].outcome == "failed", bad


def test_L3_statistics_catch_friction():
    # Declared unaligned and not state-comparable: nothing is compared step by step, only
    # statistics can judge. A 1.5x friction cone changes how the gait grips: its speed.
    bad = failed_items("friction_cone_scaled", ("L3",), aligned=False, only=["L3::stats[gait]"])
    assert bad and all(k.startswith("L3::stats[gait]") for k in bad), bad
    assert any(r.outcome == "failed" for r in bad.values()), {k: r.summary for k, r in bad.items()}

"""tcgjax against the reference, every §9.1 field, the view, actor, reward and mask at every step.

Seeded games per deck matchup: the reference plays (``random``: uniform over the legal actions;
``greedy``: the suite's bot), tcgjax replays the same actions in one batched call. The dev script
``python -m ported_envs.tcgjax.dev.lockstep --games 1000`` runs the same comparison at scale."""
import pytest

from ported_envs.tcgjax.dev.lockstep import run
from suites.tcg import VARIANTS
from tests.tcgjax import mutants

GAMES = {"random": 24, "greedy": 12}


@pytest.mark.parametrize("policy", sorted(GAMES))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_lockstep_exact(variant, policy):
    cfg = VARIANTS[variant]
    bad, steps, _, _ = run(variant, (cfg["deck0"], cfg["deck1"]), GAMES[policy], policy, GAMES[policy])
    assert steps > 40 * GAMES[policy]
    assert not bad, [f"seed {s}: step {d[0]} field {d[1]}: reference {d[2]} tcgjax {d[3]}" for s, d, _ in bad[:3]]


# (mutant, variant, policy, games, a field the first difference may show up in)
CAUGHT = [
    ("weakness_10", "fire_vs_water", "greedy", 16, {"dmg", "obs.view"}),
    ("two_supporters", "fire_vs_water", "random", 16, {"legal"}),
    ("poison_20", "fighting_vs_grass", "greedy", 32, {"dmg", "obs.view"}),
]


@pytest.mark.parametrize("case", CAUGHT, ids=[c[0] for c in CAUGHT])
def test_lockstep_catches_a_one_rule_mutant(case):
    name, variant, policy, games, fields = case
    cfg = VARIANTS[variant]
    bad, _, _, _ = run(variant, (cfg["deck0"], cfg["deck1"]), games, policy, games,
                       port_cls=mutants.adapter_class(name))
    assert bad, f"{name} played {games} {policy} games of {variant} exactly like the reference"
    assert bad[0][1][1] in fields, bad[0][1]

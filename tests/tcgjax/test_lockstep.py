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


def test_the_rarer_mutants_differ_where_their_rule_acts():
    """checkup_other_first and paralysis_at_once seldom show in random games (a double Burn, a
    Paralysis that matters): here each is driven to its rule directly, next to the correct port."""
    from suites.tcg.scenarios import find_ctr, heads, pokemon, scenario, tails
    from tests.tcgjax.port import port_at

    ctr = find_ctr(4, [heads, tails])                 # first Burn coin heads, second tails
    burns = scenario("A-Fire", "B-Water", turn=8, turn_player=0, seed=4, rng_ctr=ctr,
                     p0={"slots": {0: pokemon("Magmar", status=("burned",)), 1: pokemon("Slugma")}},
                     p1={"slots": {0: pokemon("Articuno ex", status=("burned",)), 1: pokemon("Froakie")}})
    right = port_at(burns)
    right.step(0)
    wrong = port_at(burns, mutants.adapter_class("checkup_other_first"))
    wrong.step(0)
    assert right.get_state()["status"][:, 0, 1].tolist() == [0, 1]    # P's coin first: P cured, O still Burned
    assert wrong.get_state()["status"][:, 0, 1].tolist() == [1, 0]

    ctr = find_ctr(5, [heads])
    shock = scenario("C-Dragon-Lightning", "B-Water", turn=5, turn_player=0, seed=5, rng_ctr=ctr,
                     p0={"slots": {0: pokemon("Pincurchin", energy="LL")}},
                     p1={"slots": {0: pokemon("Froakie", energy="W"), 1: pokemon("Staryu")}})
    right = port_at(shock)
    right.step(62)
    wrong = port_at(shock, mutants.adapter_class("paralysis_at_once"))
    wrong.step(62)
    assert right.get_state()["status"][1, 0, 3] == 1 and wrong.get_state()["status"][1, 0, 3] == 0
    assert not right.legal_actions()[62] and wrong.legal_actions()[62]     # cannot attack

"""The L1 properties reach what they claim, and only legal states.

For every property (in each variant it runs in) Hypothesis draws cases; we check each
case's state is a legal position (20 cards per player, conditions only on Active Pokémon,
Asleep/Paralyzed/Confused exclusive, no Pokémon at or past its HP, the action legal) and
measure (a) how often the action is the one under test (``properties.HITS``) and (b) for
the rule areas whose action alone does not guarantee the outcome, how often the outcome
happened on the reference.
"""
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, seed, settings

from adapters.tcg_python import TcgPython
from reference_envs.tcg_python.effects import max_hp
from reference_envs.tcg_python.state import from_canonical
from suites.tcg import SUITE, properties

EXAMPLES = 30
MIN_HIT_RATE = 0.9
# rule area -> (what must happen on the reference, the least share of cases where it does)
OUTCOMES = {
    "knockout": (lambda b, a: sum(p.points for p in a.players) > sum(p.points for p in b.players), 0.8),
    "double_knockout": (lambda b, a: all(_in_play(a, q) < _in_play(b, q) for q in (0, 1)), 0.5),
    "checkup": (lambda b, a: any(any(pl.active.status[:3]) for pl in b.players), 0.8),
    "turn_limit": (lambda b, a: a.phase == 3, 0.7),     # an attack's knock-out asks promotions first
    "promotion": (lambda b, a: all(pl.active.occupied for pl in a.players) or a.pending, 1.0),
    "attack_until_tails_times": (lambda b, a: a.rng.ctr > b.rng.ctr, 1.0),
}


def _in_play(g, q) -> int:
    return sum(s.occupied for s in g.players[q].slots)


def check_legal_position(state: dict) -> None:
    g = from_canonical(state)
    for p, pl in enumerate(g.players):
        total = len(pl.deck) + len(pl.hand) + sum(pl.discard)
        total += sum((s.card != 0) + (s.under[0] != 0) + (s.under[1] != 0) + (s.tool != 0) for s in pl.slots)
        assert total == 20, f"player {p} holds {total} cards"
        assert len(pl.hand) <= 10
        for k, s in enumerate(pl.slots):
            if not s.occupied:
                continue
            assert s.dmg < max_hp(s), f"slot [{p},{k}] is at or past its HP in play"
            assert k == 0 or not any(s.status), "conditions on a Benched Pokémon (R-4.2.1)"
            assert sum(s.status[2:]) <= 1, "Asleep/Paralyzed/Confused together (R-4.2.2)"


def _cells():
    for prop in SUITE.properties:
        for variant in prop.variants or ("fire_vs_water", "dragon_vs_psychic", "fighting_vs_grass"):
            yield pytest.param(prop, variant, id=f"{prop.name}-{variant}")


@pytest.mark.parametrize("prop, variant", list(_cells()))
def test_property_reaches_its_target(prop, variant):
    reference = TcgPython(**SUITE.variants[variant])
    check = TcgPython(**SUITE.variants[variant])
    properties.HITS[prop.name] = [0, 0]
    outcome = OUTCOMES.get(prop.name)
    reached = Counter()

    @seed(12345)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(prop.cases(reference, variant))
    def run(case):
        state = SUITE.state.coerce(case.state, prop.name)
        check_legal_position(state)
        check.set_state(state)
        assert check.legal_actions()[case.action], "the case's action is not legal"
        before = from_canonical(state)
        check.step(case.action)
        if outcome is not None:
            reached[bool(outcome[0](before, from_canonical(check.get_state())))] += 1

    run()
    hits, total = properties.HITS[prop.name]
    share = reached[True] / max(1, sum(reached.values()))
    print(f"{prop.name} [{variant}]: action under test {hits}/{total}"
          + (f", outcome {share:.0%}" if outcome is not None else ""))      # the figures quoted in the suite
    assert hits / total >= MIN_HIT_RATE, f"{prop.name}: the action under test in only {hits}/{total} cases"
    if outcome is not None:
        assert share >= outcome[1], f"{prop.name}: the outcome happened in only {share:.0%} of cases"

"""The tcg family: Pokémon TCG Pocket on the 65-card pool, from the rules spec.

The contract is ``../shared/references/tcg-pocket-spec.md``; where it is silent, both
engines follow ``SPEC_NOTES.md`` (next to this file). The reference is ``tcg_python``
(reference_envs/tcg_python), a plain Python engine written from the spec.

State: spec §9.1 exactly (``schema.STATE``), every field exact: decks, hands, discards,
slots, flags, the pending-choice FIFO and the PRNG key and counter. The game is random
only through the spec's counter-based generator (§5), which both engines implement, so
every layer runs in lockstep. Outputs: the §9.5 view of the next actor and who that is,
the §9.6 reward pair, termination, and the §9.4 legal mask (``schema.OUTPUTS``).

Variants are deck matchups (player 0's deck first): the six pairings of the spec's
rollout vectors (§10.9) and two mirrors. Seeds are game seeds.

L1: one property per rule area and per card effect (``properties.py``; 57, run in every
main variant whose decks hold the card: 90 items), each case a state reached by play on
the reference, perturbed within the rules and steered to the action under test.
tests/tcg/test_properties.py measures it (30 cases per property and variant): the action
is the one under test in 100 % of cases for every property; where the action alone does
not decide the outcome, the outcome happened in 97-100 % (knock-out), 87-97 % (double
knock-out), 90 % (a condition for the Checkup to act on), 80-97 % (turn limit: an attack's
knock-out asks for promotions first) of cases. Semantic coverage (``coverage.py``) counts
every rule area and card effect a reference transition exercises over L1, L2 and L3; the
quick tier requires every key of a main variant's decks at least once. L2: one trace per worked example of spec §10, with ``expect`` entries pinning the
spec's numbers, and one per sample deck's signature interactions (``traces/``, written
by ``make_traces.py``). L3: lockstep under ``random`` and ``greedy`` (``policies.py``), and
statistics.

Metrics and margins (equivalence margins on the difference of per-game means), from 400
reference games per variant and policy (seeds 0..399 of all eight variants; measured with
``python -m suites.tcg.measure_margins``, 78 s):

================== =========================================== =======
metric              mean / sd over the 8 variants               margin
================== =========================================== =======
first_player_win    greedy 0.39-0.50 / 0.49-0.50                0.30
turns               greedy 11.0-19.7 / 2.8-5.3                  3.0
points              random 0.27-1.14 / 0.65-1.21,               0.75
                    greedy 3.60-3.97 / 0.83-1.07
knockouts           random 0.24-0.95 / 0.55-0.97,               0.60
                    greedy 2.54-3.53 / 0.70-0.89
================== =========================================== =======

Each margin is about 0.6 sd of the widest spread: at 150 games per side (quick) that is
>= 5.2 standard errors of the difference, at 300 (standard) >= 7.3, so TOST under Holm
across the pair's metrics passes an equivalent port reliably (an unlucky sample needs a
difference of ~2.8 se at quick, ~0.5 % per metric). Under random play nearly every game is
a draw at the turn limit (first-player wins 0.5-7 %, turns always 30), so the win rate and
the length are compared only under ``greedy``. The statistics catch gross rule changes
(knock-outs that score nothing, damage that never lands); exactness is the job of L1 and
of lockstep L3, which compare every field at every step.
"""
from __future__ import annotations

from pathlib import Path

from equiv import Coverage, Discrete, Metric, Suite, Tier
from suites.tcg import coverage, metrics, properties
from suites.tcg.policies import POLICIES
from suites.tcg.schema import N_ACTIONS, OUTPUTS, STATE

VARIANTS = {
    "fire_vs_water": {"deck0": "A-Fire", "deck1": "B-Water"},
    "dragon_vs_psychic": {"deck0": "C-Dragon-Lightning", "deck1": "D-Psychic"},
    "fighting_vs_grass": {"deck0": "E-Fighting", "deck1": "F-Grass-Poison"},
    "grass_vs_fire": {"deck0": "F-Grass-Poison", "deck1": "A-Fire"},
    "water_vs_dragon": {"deck0": "B-Water", "deck1": "C-Dragon-Lightning"},
    "psychic_vs_fighting": {"deck0": "D-Psychic", "deck1": "E-Fighting"},
    "psychic_mirror": {"deck0": "D-Psychic", "deck1": "D-Psychic"},
    "grass_mirror": {"deck0": "F-Grass-Poison", "deck1": "F-Grass-Poison"},
}
# every deck on both sides among these three; every L1 property and L2 trace has its home here
MAIN_VARIANTS = ("fire_vs_water", "dragon_vs_psychic", "fighting_vs_grass")

METRICS = [
    Metric("first_player_win", metrics.first_player_win, 0.30, "categorical", metrics.first_player_win.__doc__,
           policies=("greedy",)),
    Metric("turns", metrics.turns, 3.0, "continuous", metrics.turns.__doc__, policies=("greedy",)),
    Metric("points", metrics.points, 0.75, "continuous", metrics.points.__doc__),
    Metric("knockouts", metrics.knockouts, 0.60, "continuous", metrics.knockouts.__doc__),
]

MAX_STEPS = 2048   # §9.6: a game stays far below this many decisions

TIERS = {
    "quick": Tier(l1_examples=30, lockstep_episodes=5, stat_episodes=150, max_steps=MAX_STEPS,
                  variants=MAIN_VARIANTS, l3_variants=("fire_vs_water",), coverage_min=1),
    "standard": Tier(l1_examples=120, lockstep_episodes=100, stat_episodes=300, max_steps=MAX_STEPS),
    "deep": Tier(l1_examples=1000, lockstep_episodes=1000, stat_episodes=1000, max_steps=MAX_STEPS),
}


def _bench(reference_cls, ported_cls, args):
    """``equiv bench``: the throughput table lives with the port (ported_envs/tcgjax/bench.py)."""
    try:
        from ported_envs.tcgjax.bench import main
    except ImportError as e:
        raise SystemExit(f"the tcg benchmark needs ported_envs/tcgjax/bench.py, which cannot be imported "
                         f"({e}); it comes with the tcgjax port") from None
    return main(args, reference_cls, ported_cls)


SUITE = Suite(
    family="tcg",
    state=STATE,
    outputs=OUTPUTS,
    action_space=Discrete(N_ACTIONS),
    properties=properties.PROPERTIES,
    policies=POLICIES,
    metrics=METRICS,
    variants=VARIANTS,
    tiers=TIERS,
    root=Path(__file__).parent,
    roundtrip_steps=5,
    bench=_bench,
    coverage=Coverage(coverage.hit, lambda v: coverage.keys(VARIANTS[v]) if v in MAIN_VARIANTS else None,
                      coverage.__doc__),
    doc=__doc__,
)

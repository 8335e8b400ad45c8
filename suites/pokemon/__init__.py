"""The pokemon family: gen-1 singles, Pokemon Showdown 0.11.11 as the reference.

State: ``schema.STATE`` (SCHEMA.md explains every encoding), everything needed to
continue a battle exactly, PRNG included. Both players act each step: actions are
joint, ``[a_p1, a_p2]`` over 14 slots each, and the legal mask has shape (2, 14).
Teams come from Showdown's own gen-1 random-battle generator, seeded from the reset
seed (SCHEMA.md, "Teams and reset(seed)"): any 31-bit seed is a battle.

Variants: ``customgame`` (format gen1customgame: no clauses, hence no clause-tie
draws) and ``randombattle`` (gen1randombattle rules: Sleep/Freeze Clause Mods and the
Endless Battle Clause, with the same explicit teams), both with random-battle teams; and
``wholegame`` (gen1customgame, teams from the whole game: ``wholegame.py`` draws any of the 151
species at levels 50-100 with random DVs and stat experience and any gen-1 move but the ones
it lists as not yet drawn). ``max_turns`` cuts a battle
short (``truncated``); random play ends every battle in ~60 turns, the cap only
guards against endless PP-stalling.

Metrics and margins (equivalence margins on the difference of per-battle means).
Spreads measured on the reference, 300 battles per variant and policy:

================ ================ ================ ========
metric            random mean/sd   first mean/sd    margin
================ ================ ================ ========
p1_win            0.45-0.50/0.50   0.47-0.56/0.50   0.28
turns             60-62/21-25      45-58/26-65      20
damage_per_turn   1.46/0.15-0.16   1.24/0.39-0.44   0.24
status_per_turn   0.35/0.13        0.10-0.12/0.08   0.07
================ ================ ================ ========

Damage and status are frequencies per turn, not counts per battle: under the ``first`` policy
in gen1customgame a battle now and then stalls to the 1,000-turn tie (819 statuses in one of
300), and such a battle in one sample and not the other made a count's mean test
INCONCLUSIVE although the port is exact. Each margin is about 0.55 sd of the widest spread,
i.e. >= 4.6 standard errors of the difference at 150 battles per side (quick) and >= 6.5 at
300 (standard), what Holm over up to 16 tests needs for an equivalent pair to pass
reliably. They catch gross mechanics changes only (a damage formula off by a factor, a status
that never lands); exactness is the job of L1 and lockstep L3, which compare every field bit
for bit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from equiv import EXACT, Coverage, Discrete, Field, Metric, Policy, Property, Schema, Suite, Tier
from suites.pokemon import coverage, metrics, properties
from suites.pokemon.schema import N_ACTIONS, OBS_SIZE, STATE, SIDES

VARIANTS = {
    "customgame": {"format": "gen1customgame", "max_turns": 1000},
    "randombattle": {"format": "gen1randombattle", "max_turns": 1000},
    # teams from the whole game (wholegame.py): any species, level, DVs, stat exp and move
    "wholegame": {"format": "gen1customgame", "max_turns": 1000, "teams": "wholegame"},
}
POOL_VARIANTS = ("customgame", "randombattle")

OUTPUTS = Schema([
    Field("obs", "int32", (OBS_SIZE,), EXACT, "schema.observation(state): see SCHEMA.md"),
    Field("reward", "float32", (), EXACT, "+1 p1 won, -1 p2 won, 0 otherwise (given on the final step)"),
    Field("terminated", "bool", (), EXACT, "the battle ended"),
    Field("truncated", "bool", (), EXACT, "turn reached max_turns without an end"),
    Field("legal", "bool", (SIDES, N_ACTIONS), EXACT, "full-information legal actions per player"),
])

ACTION_SPACE = Discrete(N_ACTIONS, players=2)


def _first_legal(obs, legal, rng):
    legal = np.asarray(legal, bool).reshape(SIDES, N_ACTIONS)
    return np.asarray([int(np.flatnonzero(row)[0]) for row in legal], np.int64)


POLICIES = {
    "first": Policy("first", _first_legal, "each player takes its lowest-numbered legal action: move 1 "
                    "until its PP runs out, then move 2...; reaches Struggle, long fights, forced switches"),
}

METRICS = [
    Metric("p1_win", metrics.p1_win, 0.28, "categorical", metrics.p1_win.__doc__),
    Metric("turns", metrics.turns, 20.0, "continuous", metrics.turns.__doc__),
    Metric("damage_per_turn", metrics.damage_per_turn, 0.24, "continuous", metrics.damage_per_turn.__doc__),
    Metric("status_per_turn", metrics.status_per_turn, 0.07, "continuous", metrics.status_per_turn.__doc__),
]

PROPERTIES = [
    Property("played_transition", properties.played,
             "a state reached by uniform random play on the reference, then one legal joint action"),
    Property("perturbed_transition", properties.perturbed,
             "a played state with a fresh PRNG key and changed HP/sleep/confusion counters, one legal joint action"),
    Property("move_effect", properties.move_effect,
             "both active Pokemon given any move of the random-battle pool (sensible PP), each used when legal",
             variants=POOL_VARIANTS),
    Property("status", properties.status,
             "a member given par/brn/psn/slp/frz (counters, gen-1 stat drops in modified_stats); "
             "a bench member is usually switched in", variants=POOL_VARIANTS),
    Property("volatile", properties.volatile,
             "an active Pokemon given 1-3 of confusion, Substitute, Reflect, Light Screen, Recharge, "
             "Focus Energy with consistent counters", variants=POOL_VARIANTS),
    Property("boosts", properties.boosts,
             "both active Pokemon at stat stages -6..6, modified stats and speed recomputed the gen-1 way",
             variants=POOL_VARIANTS),
    Property("crit_and_accuracy", properties.crit_and_accuracy,
             "fresh PRNG key, accuracy/evasion stages, Focus Energy, high-crit or inaccurate pool moves",
             variants=POOL_VARIANTS),
    Property("game_move_effect", properties.game_move_effect,
             "both active Pokemon given any gen-1 move of the whole-game draw (PP 1, 2, 5 or full), each "
             "used when legal"),
    Property("residual", properties.residual,
             "Toxic counters (also kept after Rest), Leech Seed, Mist, Minimize/Defense Curl, sleep or "
             "freeze injected, and each side using Haze, Leech Seed, Toxic, Mist, Conversion, Dream Eater, "
             "Psywave, an OHKO or fixed-damage move or a stat-lowering move"),
    Property("locks", properties.locks,
             "Rage, Thrash/Petal Dance, Disable, Dig/Fly (and the invulnerability a full paralysis leaves) "
             "injected with any counter values, the foe using a move that meets them (Swift, Transform, "
             "Self-Destruct, Disable, multi-hit, accuracy moves)", variants=("wholegame",)),
    Property("edges", properties.edges,
             "values where gen-1 decisions flip: HP at the Recover/Rest glitch values, stages at 4..6 / -4..-6 "
             "pushed on (the +-6 limit, the 999 cap), tied speeds, a sleep or confusion counter at its last "
             "turn, a move at its last PP, the 997 damage cap and damage 1, stats at their floor of 1 (levels "
             "1-5), a trapping move at 0 PP (the 6-bit underflow), turn 999/1000 (the turn-1000 tie)"),
]

TIERS = {
    "quick": Tier(l1_examples=30, lockstep_episodes=5, stat_episodes=150, max_steps=3000,
                  policies=("random",), l3_variants=("customgame",)),
    # standard and deep require every gen-1 edge key (coverage.required) at least once, and in the
    # whole-game variant every move and status: the L1 edges property reaches the edges at 120
    # examples per variant, the 200 lockstep battles every whole-game move (21+ uses each)
    "standard": Tier(l1_examples=120, lockstep_episodes=100, stat_episodes=300, max_steps=3000, coverage_min=1),
    "deep": Tier(l1_examples=1000, lockstep_episodes=1000, stat_episodes=1000, max_steps=3000, coverage_min=1),
}


def explain(ref_adapter, port_adapter, start, actions):
    """Evidence for a divergence: the port's draw tape replayed into Showdown.

    Uses the declared capabilities ``Adapter.draw_tape`` (the port's draws, a list of
    ``{"draws": [[lo, hi, value, site], ...], "seed_after": ...}`` per step) and
    ``Adapter.replay_tape`` (the reference consuming them); the first draw whose bounds
    disagree is named. Says so when a side lacks the capability."""
    from equiv import AdapterError
    tape = port_adapter.draw_tape(start, actions)
    if tape is None:
        return f"no draw tape: {type(port_adapter).__name__} does not record its draws (Adapter.draw_tape)"
    try:
        ref_adapter.replay_tape(start, actions[:len(tape)], tape, record_states=False)
    except NotImplementedError as e:
        return f"no draw-by-draw evidence: {e}"
    except AdapterError as e:
        return f"draw tape of the ported side replayed into the reference: {e}"
    n = sum(len(t["draws"]) for t in tape)
    return (f"draw tape of the ported side replayed into the reference: all {n} draws of {len(tape)} "
            f"steps asked for the same bounds (the difference is in what the draws are used for)")


def _bench(reference_cls, ported_cls, args):
    from suites.pokemon.bench import main
    return main(args, reference_cls, ported_cls)


SUITE = Suite(
    family="pokemon",
    state=STATE,
    outputs=OUTPUTS,
    action_space=ACTION_SPACE,
    properties=PROPERTIES,
    policies=POLICIES,
    metrics=METRICS,
    variants=VARIANTS,
    tiers=TIERS,
    root=Path(__file__).parent,
    roundtrip_steps=5,
    explain=explain,
    bench=_bench,
    # every key is reported (moves, statuses, switches, edges; never-hit ones listed); standard and
    # deep require the gen-1 edge keys, and in the whole-game variant every move and status
    coverage=Coverage(coverage.hit,
                      lambda v: coverage.keys(properties.game_moves() if v == "wholegame"
                                              else properties.pool_moves()),
                      coverage.__doc__,
                      required=lambda v: coverage.required(properties.game_moves() if v == "wholegame" else None)),
    doc=__doc__,
)

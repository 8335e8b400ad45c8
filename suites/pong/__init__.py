"""The pong family: PufferLib 3.0.0's C Pong and its ports.

State: the 12 mutable fields of ``struct Pong``, the observation buffer (state, because
after a non-terminal point the env returns the previous frame's observation) and glibc's
``rand()`` state as the last 31 outputs of its additive generator, oldest first. Every
field is compared bit for bit: the reference is float32 C, and a faithful port can and
must reproduce it exactly.

Variants cover both action modes at frameskip 1 and 8 (PufferLib trains with 8).
The action space depends on the mode: Discrete(3), or a float in [-1, 1] in continuous
variants; properties draw actions for their variant's mode, and each policy has a rule
per mode (``Policy.for_config``).

Metrics and margins (equivalence margins on the difference of per-episode means; the
spreads quoted are standard deviations measured on the C reference, 64 episodes per
variant, frameskip 1 and 8, both modes):

- ``return`` under ``random``: margin 0.5, half a point of a 21-point game (5 paddle
  hits); measured sd 0.20-0.34, so 64 episodes per side resolve it.
- ``return`` under ``tracker``: margin 5.0, 5 points of 21 or 50 hits; the tracker's
  return spreads far more (sd 1.0 at continuous frameskip 8 up to 7.9 at discrete
  frameskip 8, where its 64-pixel steps overshoot), and 5.0 is about 0.6 sd there.
- ``log_length`` (log of steps per episode): margin 0.15, a 15 % change of the typical
  episode length, whatever the frameskip; sd 0.07-0.18.
- ``bounces`` (steps in which the agent's paddle hit the ball, reward 0.1): margin 3 hits
  under ``random`` (sd 2.0-3.4), 15 under ``tracker`` (sd 6.8-24; about 5 % of its
  ~290 hits per game at frameskip 1).

Each margin is at least ~4.5 standard errors of the difference at the tier that runs it
(Holm across 12-24 metrics needs that much), and well inside what a changed rule moves
(tests/pong/test_mutations.py).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from equiv import EXACT, Box, Coverage, Discrete, Field, Metric, Property, Schema, Suite, Tier
from suites.pong import coverage, properties
from suites.pong.policies import POLICIES

VARIANTS = {
    "discrete_fs1": {"frameskip": 1, "continuous": False},
    "discrete_fs8": {"frameskip": 8, "continuous": False},
    "continuous_fs1": {"frameskip": 1, "continuous": True},
    "continuous_fs8": {"frameskip": 8, "continuous": True},
    # A court so small that a hit and a point fit in one 8-frame step (the only way to see
    # that rewards are assigned, not summed) with speeds that are not powers of two. Its
    # short games make the statistics' margins meaningless, so it has no L3.
    "small_court_fs8": {"width": 90, "height": 120, "paddle_width": 10, "paddle_height": 30,
                        "ball_width": 12, "ball_height": 12, "paddle_speed": 5.5,
                        "ball_initial_speed_x": 12, "ball_initial_speed_y": 2,
                        "ball_speed_y_increment": 2.5, "ball_max_speed_y": 9, "max_score": 5,
                        "frameskip": 8, "continuous": True},
}
MAIN_VARIANTS = ("discrete_fs1", "discrete_fs8", "continuous_fs1", "continuous_fs8")
ALL_VARIANTS = MAIN_VARIANTS + ("small_court_fs8",)

STATE = Schema([
    Field("paddle_yl", "float32", (), EXACT, "opponent (left) paddle's bottom edge, pixels"),
    Field("paddle_yr", "float32", (), EXACT, "agent's (right) paddle's bottom edge, pixels"),
    Field("ball_x", "float32", (), EXACT, "ball's left edge"),
    Field("ball_y", "float32", (), EXACT, "ball's bottom edge"),
    Field("ball_vx", "float32", (), EXACT, "pixels per frame"),
    Field("ball_vy", "float32", (), EXACT, "pixels per frame"),
    Field("score_l", "uint32", (), EXACT, "opponent's points"),
    Field("score_r", "uint32", (), EXACT, "agent's points"),
    Field("paddle_dir", "float32", (), EXACT, "the last action as a direction (+1 up, -1 down)"),
    Field("tick", "int32", (), EXACT, "steps since the round began"),
    Field("n_bounces", "int32", (), EXACT, "paddle bounces since the round began"),
    Field("win", "int32", (), EXACT, "1 if the last point was the agent's"),
    Field("obs", "float32", (8,), EXACT, "the observation buffer (stale after a non-terminal point)"),
    Field("rng", "uint32", (31,), EXACT, "glibc rand() state: last 31 outputs of t[i]=t[i-31]+t[i-3], oldest first"),
])

OUTPUTS = Schema([
    Field("obs", "float32", (8,), EXACT, "paddles, ball position and speed, scores (always 0: integer division)"),
    Field("reward", "float32", (), EXACT, "+1/-1 for a point, 0.1 for a hit, else 0 (assigned, not summed)"),
    Field("terminated", "bool", (), EXACT, "a side reached max_score (the env has already reset)"),
    Field("truncated", "bool", (), EXACT, "always False: no time limit"),
])

_PROPERTY_DOCS = {
    "anywhere": "any in-range state, any action",
    "walls": "the ball crossing the top or bottom wall",
    "left_paddle_edges": "the ball at the opponent paddle's top/bottom edge (hit or point)",
    "right_paddle_edges": "the ball at the agent paddle's edges; speed-up clip; |vy| < 0.01 rule",
    "points": "points either way on the first or last frame of a frameskip, scores up to max-1",
    "hits": "hits by the agent's paddle at any speed and direction (no fused multiply-add)",
    "hit_then_point": "a hit and a point in the same step (small court): reward assigned, not summed",
    "played": "states reached by random play on the reference",
}
PROPERTIES = [Property(name, properties.cases(name, VARIANTS), doc) for name, doc in _PROPERTY_DOCS.items()]

_HIT = np.float32(0.1)


def _return(t) -> float:
    return float(np.sum(t.outputs["reward"], dtype=np.float64))


def _log_length(t) -> float:
    return float(np.log(max(t.length, 1)))


def _bounces(t) -> float:
    return float(np.count_nonzero(t.outputs["reward"] == _HIT))


METRICS = [
    Metric("return", _return, 0.5, doc="sum of rewards; margin: half a point (see module doc)",
           policies=("random",)),
    Metric("return", _return, 5.0, doc="sum of rewards; margin: 5 points (see module doc)",
           policies=("tracker",)),
    Metric("log_length", _log_length, 0.15, doc="log steps per episode; margin: 15 % of the length"),
    Metric("bounces", _bounces, 3.0, doc="steps with a paddle hit; margin 3 hits", policies=("random",)),
    Metric("bounces", _bounces, 15.0, doc="steps with a paddle hit; margin 15 hits", policies=("tracker",)),
]

TIERS = {
    # The default gate: every rule at L1/L2, lockstep and statistics under the random
    # policy (the tracker's games are 30k steps long at frameskip 1; they run at standard).
    "quick": Tier(l1_examples=40, lockstep_episodes=5, stat_episodes=64, max_steps=20_000,
                  policies=("random",), variants=ALL_VARIANTS, l3_variants=MAIN_VARIANTS),
    "standard": Tier(l1_examples=200, lockstep_episodes=100, stat_episodes=200, max_steps=60_000,
                     variants=ALL_VARIANTS, l3_variants=MAIN_VARIANTS, coverage_min=1),
    "deep": Tier(l1_examples=2000, lockstep_episodes=1000, stat_episodes=1000, max_steps=60_000,
                 variants=ALL_VARIANTS, l3_variants=MAIN_VARIANTS),
}


def _bench(reference_cls, ported_cls, args):
    from suites.pong.bench import main
    return main(args, reference_cls, ported_cls)


SUITE = Suite(
    family="pong",
    state=STATE,
    outputs=OUTPUTS,
    action_space=lambda config: Box(-1.0, 1.0) if config.get("continuous") else Discrete(3),
    properties=PROPERTIES,
    policies=POLICIES,
    metrics=METRICS,
    variants=VARIANTS,
    tiers=TIERS,
    root=Path(__file__).parent,
    bench=_bench,
    coverage=Coverage(coverage.hit, coverage.keys, coverage.__doc__),
    doc=__doc__,
)

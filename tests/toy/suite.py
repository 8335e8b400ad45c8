"""The toy family's suite: schema, generators that reach every branch, traces, metrics."""
import dataclasses
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

import equiv
from tests.toy import rules

STATE = equiv.Schema([
    equiv.Field("pos", "int32", (), doc="walker position; |pos| >= 8 ends the episode"),
    equiv.Field("t", "int32", (), doc="steps taken"),
    equiv.Field("energy", "float32", (), doc="energy*0.5 + reward each step"),
    equiv.Field("treasures", "int32", (), doc="rare-branch count"),
    equiv.Field("rng", "uint32", (), doc="xorshift32 state"),
])
OUTPUTS = equiv.Schema([
    equiv.Field("obs", "float32", (3,)),
    equiv.Field("reward", "float32", ()),
    equiv.Field("terminated", "bool", ()),
    equiv.Field("truncated", "bool", ()),
])


def _states(rng_strategy, pos=st.integers(-rules.LIMIT + 1, rules.LIMIT - 1)):
    return st.fixed_dictionaries({
        "pos": pos.map(np.int32),
        "t": st.integers(0, rules.HORIZON - 1).map(np.int32),
        "energy": st.floats(-20, 20, width=32).map(np.float32),
        "treasures": st.integers(0, 5).map(np.int32),
        "rng": rng_strategy.map(np.uint32),
    })


def _cases(rng_strategy, **fields):
    return st.builds(equiv.Case, _states(rng_strategy, **fields), st.integers(0, 2))


edge_pos = st.sampled_from([-7, -6, 6, 7])


# Hypothesis favours small integers; mix them so every generated state draws like a real one
# (shrinking still works on the unmixed integer).
any_rng = st.integers(0, 2**32 - 1).map(lambda x: ((x * 2654435761 + 0x9E3779B9) & rules.MASK) or 1)
# The next draw decides the branch, so choose it and invert the generator to get the state.
rare_rng = st.integers(0, 2**16 - 1).map(lambda low: rules.unxorshift32((64 * (low % 1024)) << 16 | low))

SUITE = equiv.Suite(
    family="toy",
    state=STATE,
    outputs=OUTPUTS,
    action_space=equiv.Discrete(3),
    properties=[
        equiv.Property("any_state", lambda ref, variant: _cases(any_rng), "any valid state and action"),
        equiv.Property("treasure_branch", lambda ref, variant: _cases(rare_rng),
                       "states whose next draw takes the rare treasure branch"),
        equiv.Property("edge", lambda ref, variant: _cases(any_rng, pos=edge_pos),
                       "walkers one or two steps from the end, where termination is decided"),
    ],
    metrics=[
        equiv.Metric("return", lambda t: float(t.outputs["reward"].sum()), margin=6.0,
                     doc="sum of rewards; mean 25.6, sd 16.8 under the random policy (2,000 reference "
                         "episodes): 6 is about a third of the sd"),
        equiv.Metric("length", lambda t: t.length, margin=6.0,
                     doc="steps to the end; mean 34.0, sd 17.8: 6 steps is about a third of the sd"),
        equiv.Metric("treasures", lambda t: float(t.outputs["reward"].__eq__(np.float32(5.0)).sum()),
                     margin=0.3, kind="categorical",
                     doc="rare-branch hits per episode: mean 0.52, sd 0.83; 0.3 is far below the shift a "
                         "1/16 treasure rate would cause (about +1.5)"),
    ],
    tiers={
        "quick": equiv.Tier(l1_examples=40, lockstep_episodes=10, stat_episodes=300, max_steps=100),
        "standard": equiv.Tier(l1_examples=300, lockstep_episodes=100, stat_episodes=1000, max_steps=100),
        "deep": equiv.Tier(l1_examples=2000, lockstep_episodes=1000, stat_episodes=4000, max_steps=100),
    },
    root=Path(__file__).parent,
)

# The same family with a margin no quick run can settle (length sd is about 18): every
# statistics item is INCONCLUSIVE, which --equiv-strict turns into a failure.
TIGHT = dataclasses.replace(SUITE, family="toy_tight", metrics=[
    equiv.Metric("length", lambda t: t.length, margin=0.05, doc="a deliberately unsettleable margin")])

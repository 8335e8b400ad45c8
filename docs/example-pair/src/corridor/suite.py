"""The corridor family's contract: schemas, cases, traces, metrics."""
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

import equiv

STATE = equiv.Schema([
    equiv.Field("pos", "int32", doc="0..10; 10 ends the episode"),
    equiv.Field("t", "int32", doc="steps taken; 50 truncates"),
    equiv.Field("rng", "uint32", doc="xorshift32 state"),
])
OUTPUTS = equiv.Schema([
    equiv.Field("obs", "int32"), equiv.Field("reward", "float32"),
    equiv.Field("terminated", "bool"), equiv.Field("truncated", "bool"),
])


def any_state(reference, variant):
    state = st.fixed_dictionaries({"pos": st.integers(0, 9).map(np.int32), "t": st.integers(0, 49).map(np.int32),
                                   "rng": st.integers(1, 2**32 - 1).map(np.uint32)})
    return st.builds(equiv.Case, state, st.integers(0, 1))


def near_the_end(reference, variant):  # where termination and truncation are decided
    state = st.fixed_dictionaries({"pos": st.sampled_from([8, 9]).map(np.int32),
                                   "t": st.sampled_from([48, 49]).map(np.int32),
                                   "rng": st.integers(1, 2**32 - 1).map(np.uint32)})
    return st.builds(equiv.Case, state, st.integers(0, 1))


SUITE = equiv.Suite(
    family="corridor", state=STATE, outputs=OUTPUTS, action_space=equiv.Discrete(2),
    properties=[equiv.Property("any_state", any_state, "any state, any action"),
                equiv.Property("near_the_end", near_the_end, "one step from the end or the time limit")],
    metrics=[equiv.Metric("length", lambda t: float(t.length), margin=2.5,
                          doc="steps per episode under random play: mean 47.2, sd 7.2 on 1,000 reference "
                              "episodes (most are truncated at 50); a third of a standard deviation, as "
                              "`equiv calibrate reference=corridor_py` proposes, with 200 episodes per side")],
    tiers={"quick": equiv.Tier(l1_examples=100, lockstep_episodes=20, stat_episodes=200, max_steps=50),
           "standard": equiv.Tier(l1_examples=500, lockstep_episodes=200, stat_episodes=500, max_steps=50),
           "deep": equiv.Tier(l1_examples=5000, lockstep_episodes=2000, stat_episodes=2000, max_steps=50)},
    root=Path(__file__).parent,
)

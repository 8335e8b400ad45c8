"""L1 generators of the halfcheetah family: Hypothesis strategies of (state, action) cases.

Every state is physically reachable or a small, named edit of one: Hypothesis draws a reset
seed, a number of warm-up steps and a warm-up policy (random or the gait), the reference
plays them, and the property edits the state it reached:

- ``played``: the state as played (contacts come and go on their own: ~60 % of random-play
  states touch the floor);
- ``airborne``: lifted 0.5-1.5 m, so no contact is active (only springs, limits, gravity);
- ``pressed``: pushed 0-4 cm into the floor, so several contacts are active and deep;
- ``limits``: one to six hinges set on or past a joint limit (up to 0.1 rad past) with
  velocities driving into it, so limit rows are active together with whatever contacts;
- ``flipped``: turned onto its back (pitch pi +- 0.6) near the floor, so the torso and head
  capsules hit the ground;
- ``last_step``: the episode's 1,000th step, so truncation must agree.

Actions are any float32 in [-1, 1]^6 (Hypothesis includes the bounds and 0); ``saturated``
also tries actions outside the box (the control cost uses them unclipped, the physics clamps).
"""
from __future__ import annotations

import numpy as np

from equiv import Box, Case
from suites.halfcheetah.policies import GAIT_PERIOD, GAIT_TABLE

ACTIONS = Box(-1.0, 1.0, (6,), "float32")
WIDE_ACTIONS = Box(-3.0, 3.0, (6,), "float32")
MAX_WARMUP = 120
# (joint id, lower, upper) of the six hinges with limits (Gymnasium's half_cheetah.xml ranges)
_HINGES = range(3, 9)


def _played(reference, variant):
    """Strategy of states the reference reaches from a seeded reset by random or gait play."""
    from hypothesis import strategies as st

    def play(args):
        seed, warmup, gait = args
        rng = np.random.default_rng([seed, 3])
        reference.reset(seed)
        for t in range(warmup):
            a = GAIT_TABLE[t % GAIT_PERIOD] if gait else rng.uniform(-1, 1, 6).astype(np.float32)
            if reference.step(a).truncated:
                break
        return reference.get_state()

    return st.tuples(st.integers(0, 2**31 - 1), st.integers(0, MAX_WARMUP), st.booleans()).map(play)


def _copy(state):
    return {k: np.array(v, copy=True) for k, v in state.items()}


def _limits():
    from reference_envs.halfcheetah import joint_ranges
    return joint_ranges()


def cases(name: str):
    def build(reference, variant):
        from hypothesis import strategies as st

        played = _played(reference, variant)
        actions = ACTIONS.strategy()

        if name == "played":
            return st.builds(lambda s, a: Case(s, a, "played"), played, actions)
        if name == "saturated":
            return st.builds(lambda s, a: Case(s, a, "action outside [-1, 1]"), played, WIDE_ACTIONS.strategy())
        if name == "airborne":
            def lift(s, h, a):
                s = _copy(s)
                s["qpos"][1] += h
                return Case(s, a, f"lifted {h:.3f} m")
            return st.builds(lift, played, st.floats(0.5, 1.5), actions)
        if name == "pressed":
            def press(s, d, a):
                s = _copy(s)
                s["qpos"][1] -= d
                return Case(s, a, f"pressed {d:.4f} m into the floor")
            return st.builds(press, played, st.floats(0.0, 0.04), actions)
        if name == "limits":
            ranges = _limits()

            def at_limits(s, picks, a):
                s = _copy(s)
                for joint, upper, past, speed in picks:
                    lo, hi = ranges[joint]
                    s["qpos"][joint] = hi + past if upper else lo - past
                    s["qvel"][joint] = speed if upper else -speed
                return Case(s, a, f"joints at limits: {[(j, 'upper' if u else 'lower') for j, u, _, _ in picks]}")
            pick = st.tuples(st.sampled_from(list(_HINGES)), st.booleans(), st.floats(0.0, 0.1), st.floats(0.0, 5.0))
            return st.builds(at_limits, played, st.lists(pick, min_size=1, max_size=6, unique_by=lambda p: p[0]),
                             actions)
        if name == "flipped":
            def flip(s, pitch, z, a):
                s = _copy(s)
                s["qpos"][2] = pitch
                s["qpos"][1] = z
                return Case(s, a, f"on its back, pitch {pitch:.3f}, rootz {z:.3f}")
            return st.builds(flip, played, st.floats(np.pi - 0.6, np.pi + 0.6), st.floats(-0.75, -0.5), actions)
        if name == "last_step":
            def last(s, a):
                s = _copy(s)
                s["steps"] = np.int64(999)
                return Case(s, a, "the 1,000th step: truncated")
            return st.builds(last, played, actions)
        raise KeyError(name)
    return build


DOCS = {
    "played": "states reached by random or gait play from a seeded reset, any action",
    "saturated": "played states, actions outside [-1, 1] (clamped physics, unclipped control cost)",
    "airborne": "lifted clear of the floor: no contact, springs, limits and gravity only",
    "pressed": "pushed into the floor: several deep contacts at once",
    "limits": "hinges on or past their limits, driven into them: limit rows with contacts",
    "flipped": "on its back near the floor: torso and head contacts",
    "last_step": "the 1,000th step of an episode: truncation",
}

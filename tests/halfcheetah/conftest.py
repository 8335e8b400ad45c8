"""Shared fixtures: transitions of the MuJoCo C reference to compare the port with."""
import numpy as np
import pytest


def played_states(n: int, seed: int = 0):
    """``n`` (state, action) pairs: random-play and gait states from seeded resets, and the
    L1 properties' edits of them (lifted, pressed into the floor, hinges past their limits,
    flipped onto the back)."""
    from adapters.mujoco import MujocoHalfCheetah
    from suites.halfcheetah.calibrate import collect
    rng = np.random.default_rng(seed)
    return [(s, acts[0]) for s, acts in collect(MujocoHalfCheetah(), n, rng)]


@pytest.fixture(scope="session")
def cases():
    return played_states(120)

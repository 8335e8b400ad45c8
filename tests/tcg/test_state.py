"""get_state / set_state: exact §9.1 layout, round trip, identical continuation, clear errors."""
import random

import numpy as np
import pytest

from reference_envs.tcg_python import StateError, TcgEngine
from suites.tcg.schema import STATE


def play_random(e, rng, steps):
    for _ in range(steps):
        if e.done:
            return
        mask = e.legal_mask()
        e.step(rng.choice([a for a in range(72) if mask[a]]))


def test_layout_matches_the_suite_schema():
    e = TcgEngine()
    e.reset(5, "A-Fire", "B-Water")
    s = e.get_state()
    assert list(s) == STATE.names()
    for f in STATE:
        assert s[f.name].dtype == f.np_dtype and s[f.name].shape == f.shape, f.name


@pytest.mark.parametrize("seed", range(8))
def test_round_trip_and_identical_continuation(seed):
    rng = random.Random(seed)
    e = TcgEngine()
    e.reset(seed, "C-Dragon-Lightning", "F-Grass-Poison")
    play_random(e, rng, rng.randrange(0, 80))
    snapshot = e.get_state()
    twin = TcgEngine()
    twin.set_state(snapshot)
    after = twin.get_state()
    assert all(np.array_equal(snapshot[k], after[k]) and snapshot[k].dtype == after[k].dtype for k in snapshot)
    assert twin.actor == e.actor and twin.legal_mask() == e.legal_mask()
    assert twin.observe(0) == e.observe(0) and twin.observe(1) == e.observe(1)
    r1, r2 = random.Random(99), random.Random(99)
    play_random(e, r1, 40)
    play_random(twin, r2, 40)
    a, b = e.get_state(), twin.get_state()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_set_state_errors_name_the_problem():
    e = TcgEngine()
    e.reset(5, "A-Fire", "B-Water")
    s = e.get_state()
    with pytest.raises(StateError, match=r"missing fields \['turn'\]"):
        e.set_state({k: v for k, v in s.items() if k != "turn"})
    with pytest.raises(StateError, match="'dmg' has shape"):
        e.set_state({**s, "dmg": np.zeros((2, 3), np.int32)})
    bad = {k: v.copy() for k, v in s.items()}
    bad["deck"][0, 19] = 7
    with pytest.raises(StateError, match="beyond deck_size"):
        e.set_state(bad)
    bad = {k: v.copy() for k, v in s.items()}
    bad["dmg"][0, 2] = 10
    with pytest.raises(StateError, match="slot \\[0,2\\] is empty"):
        e.set_state(bad)

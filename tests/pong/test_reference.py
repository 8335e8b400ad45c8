"""The reference builds, runs, and its hidden state (struct, glibc rand) is read and written exactly."""
import os

import numpy as np
import pytest

from adapters.puffer_pong import PufferPong


def glibc_rand_window(seed: int, draws: int) -> np.ndarray:
    """Independent emulation of glibc srand(seed) + ``draws`` rand() calls (TYPE_3)."""
    seed &= 0xFFFFFFFF
    seed = seed or 1
    r = [seed - 2**32 if seed >= 2**31 else seed]
    for _ in range(30):
        hi = int(r[-1] / 127773)
        w = 16807 * (r[-1] - hi * 127773) - 2836 * hi
        r.append(w + 2147483647 if w < 0 else w)
    t = [x & 0xFFFFFFFF for x in r + r[:3]]
    for _ in range(310 + draws):
        t.append((t[-31] + t[-3]) & 0xFFFFFFFF)
    return np.array(t[-31:], np.uint32)


def test_reference_is_built():
    assert PufferPong.missing() is None, PufferPong.missing()


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**31 - 1])
def test_rng_state_is_glibc_after_reset(seed):
    ref = PufferPong()
    ref.reset(seed)  # srand(seed), then one rand() for the serve
    assert np.array_equal(ref.get_state()["rng"], glibc_rand_window(seed, 1))


def test_instances_do_not_share_rand_and_set_state_continues():
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    alone, a, b = PufferPong(frameskip=8), PufferPong(frameskip=8), PufferPong(frameskip=8)
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 3, 600)
    alone.reset(5)
    want = [alone.step(x).obs for x in actions]
    a.reset(5), b.reset(9)
    got = []
    for x in actions:  # interleave another instance and foreign rand() calls
        got.append(a.step(x).obs)
        b.step(x)
        libc.rand()
    assert np.array_equal(np.array(want), np.array(got))
    snapshot = a.get_state()
    b.set_state(snapshot)
    assert all(np.array_equal(v, b.get_state()[k]) for k, v in snapshot.items())
    assert [a.step(1).reward for _ in range(300)] == [b.step(1).reward for _ in range(300)]


def test_pufferlib_python_package_is_never_imported(tmp_path, monkeypatch):
    import sys
    monkeypatch.chdir(tmp_path)
    PufferPong().reset(0)
    assert "pufferlib" not in sys.modules
    assert not os.path.lexists(tmp_path / "resources")


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="frameskip"):
        PufferPong(frameskip=0)
    with pytest.raises(ValueError, match="unknown Pong settings"):
        PufferPong(speed=3)

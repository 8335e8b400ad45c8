"""The PyBoy side: the save-state codec, the pure-Python single-step harness, the adapter."""
import numpy as np
import pytest

from adapters.pyboy import PyBoyAdapter
from suites.gameboy.state import PRIME_FRAMES
from suites.gameboy.state import SPEC
from suites.gameboy import SUITE


def _equal(a, b, names=None):
    return [k for k in (names or a) if not np.array_equal(a[k], b[k])]


@pytest.fixture(scope="module")
def frame_side():
    a = PyBoyAdapter(rom="game", frameskip=4, episode_steps=500)
    yield a
    a.close()


@pytest.fixture(scope="module")
def pure_side():
    a = PyBoyAdapter(rom="game", mode="instruction", episode_steps=10_000)
    yield a
    a.close()


def test_state_matches_schema_and_round_trips(frame_side):
    frame_side.reset(0)
    for a in (0, 1, 17, 0):
        frame_side.step(a)
    s = SUITE.state.coerce(frame_side.get_state(), "pyboy")
    assert s["boot_rom"] == 0 and s["pc"] >= 0x100 and s["lcdc"] & 0x80
    frame_side.set_state(s)
    assert _equal(s, frame_side.get_state()) == []


def test_pure_copy_runs_frames_exactly_like_the_compiled_build(frame_side, pure_side):
    """The single-step harness is only trustworthy if the pure copy is the same emulator."""
    frame_side.reset(0)
    pure_side.reset(0)
    pure_side.backend.frames(0, PRIME_FRAMES)  # what a frame-mode reset adds after power-on
    rng = np.random.default_rng(3)
    for t in range(12):
        mask = int(rng.integers(0, 256))
        frame_side.step(mask)
        pure_side.backend.frames(mask, 4)
        # machine fields only: the pure side ran frames under the adapter (no episode step)
        assert _equal(frame_side.get_state(), pure_side.get_state(), SPEC) == [], f"frame {t}"


def test_single_instruction_from_injected_state(pure_side):
    pure_side.reset(0)
    for _ in range(40):
        pure_side.step(0)
    s = pure_side.get_state()
    s["pc"] = np.uint16(0xC200)
    s["wram"][0x200:0x203] = [0x80, 0xCB, 0x37]   # ADD A,B ; SWAP A
    s["a"], s["b"], s["f"], s["ime"], s["halted"] = np.uint8(0x0F), np.uint8(0x01), np.uint8(0), 0, 0
    cycles = int(s["cycles"])
    pure_side.set_state(s)
    pure_side.step(0)
    t = pure_side.get_state()
    assert (t["a"], t["f"], t["pc"], int(t["cycles"]) - cycles) == (0x10, 0x20, 0xC201, 4)
    pure_side.step(0)
    t = pure_side.get_state()
    assert (t["a"], t["f"], t["pc"], int(t["cycles"]) - cycles) == (0x01, 0x00, 0xC203, 12)


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="rom="):
        PyBoyAdapter(rom="tetris")
    with pytest.raises(ValueError, match="mode="):
        PyBoyAdapter(mode="cycle")
    a = PyBoyAdapter(rom="timer")
    a.reset(0)
    with pytest.raises(ValueError, match="0..255"):
        a.step(300)
    a.close()

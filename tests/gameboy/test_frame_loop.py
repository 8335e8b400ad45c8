"""EmuRust's fast frame loop (lazy catch-up of timer/serial/sound, halted fast-forward) gives
byte-identical emulator states to the same frames run pass by pass in full
(``Emulator.run_frame_full_passes``, the coordinator as PyBoy runs it), frame after frame, on
random timing-heavy ROMs (tests/gameboy/fuzz.py) and every corpus ROM, with random buttons.
Cheap (no PyBoy), so it covers far more ROMs and frames than the reference comparisons. (Shown
to catch a loop that forgets to catch the timer up after a timer register write: every block
of fuzz ROMs fails.)"""
import numpy as np
import pytest

from reference_envs.gameboy import build
from adapters._gameboy import corpus_problem
from tests.gameboy.fuzz import make_rom


def _emurust():
    try:
        import emurust
    except ImportError as e:
        pytest.fail(f"the emurust wheel is not installed ({e}); run ./dev.sh setup")
    return emurust


def _same_frames(rom: bytes, boot: bytes, frames: int, seed: int) -> str | None:
    emurust = _emurust()
    fast = emurust.Emulator(rom, boot, sound_emulated=False)
    full = emurust.Emulator(rom, boot, sound_emulated=False)
    rng = np.random.default_rng(seed)
    for frame in range(frames):
        mask = int(rng.integers(256)) if rng.integers(4) == 0 else fast.buttons
        render = bool(rng.integers(2))
        fast.set_buttons(mask)
        full.set_buttons(mask)
        fast.run_frame(render)
        full.run_frame_full_passes(render)
        if fast.save_state() != full.save_state():
            return f"frame {frame}: the states differ"
    return None


@pytest.fixture(scope="module")
def boot():
    assert corpus_problem() is None, corpus_problem()
    return build.rom_path(build.BOOT).read_bytes()


@pytest.mark.parametrize("block", range(4))
def test_fast_loop_equals_full_passes_on_fuzz_roms(block, boot):
    bad = {seed: p for seed in range(50 * block, 50 * block + 50)
           if (p := _same_frames(make_rom(seed), boot, 60, seed))}
    assert not bad, bad


@pytest.mark.parametrize("name", [n for n in build.CORPUS if n != build.BOOT])
def test_fast_loop_equals_full_passes_on_corpus_roms(name, boot):
    assert _same_frames(build.rom_path(name).read_bytes(), boot, 400, 7) is None

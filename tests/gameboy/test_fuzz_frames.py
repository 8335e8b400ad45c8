"""EmuRust equals PyBoy 2.8.1 frame by frame on random timing-heavy ROMs (tests/gameboy/fuzz.py):
every canonical field after every frame. This guards the coordinator's lazy catch-up (timer,
serial, halted fast-forward), which the suite's corpus ROMs exercise only along their own paths.
(Shown to catch a port that forgets to catch the timer up after a TAC/TIMA/DIV write: 5 of the
first 20 ROMs differ.)"""
import pytest

from reference_envs.gameboy import build
from adapters._gameboy import corpus_problem
from tests.gameboy.fuzz import compare


@pytest.fixture(scope="module")
def boot():
    assert corpus_problem() is None, corpus_problem()
    return build.rom_path(build.BOOT).read_bytes()


@pytest.mark.parametrize("seed", range(12))
def test_fuzz_rom_frames_match_pyboy(seed, boot):
    assert compare(seed, 30, boot) is None


@pytest.mark.slow
@pytest.mark.parametrize("block", range(10))
def test_many_fuzz_roms_match_pyboy(block, boot):
    bad = [p for seed in range(100 + 20 * block, 120 + 20 * block) if (p := compare(seed, 60, boot))]
    assert not bad, bad

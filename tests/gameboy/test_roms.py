"""The corpus builds from source and each ROM does what it says, in PyBoy (the reference)."""
import io
import warnings

import numpy as np
import pytest

from reference_envs.gameboy import build
from reference_envs.gameboy.env import corpus_problem


def _pyboy(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyboy import PyBoy
    return PyBoy(io.BytesIO(build.rom_path(name).read_bytes()), window="null",
                 bootrom=str(build.rom_path(build.BOOT)), cgb=False, sound_emulated=False, log_level="ERROR")


@pytest.fixture(scope="module", autouse=True)
def corpus():
    assert corpus_problem() is None, corpus_problem()


def test_build_is_reproducible_and_headers_valid():
    for name in build.CORPUS:
        rom = build.build_one(name)
        assert rom == build.rom_path(name).read_bytes(), f"{name}: build/ is stale"
        if name != build.BOOT:
            assert rom[0x14D] == build.header_checksum(rom)
            assert rom[0x104:0x134] == bytes(0x30), "the Nintendo logo must stay out"


def test_boot_rom_hands_over_in_documented_state():
    p = _pyboy("game")
    for _ in range(3):
        p.tick(1, False)
        if p.register_file.PC >= 0x100:
            break
    # run until PC reaches $0100 exactly: hook it
    p2 = _pyboy("game")
    seen = {}
    p2.hook_register(0, 0x100, lambda _: seen.setdefault("r", (p2.register_file.A, p2.register_file.F,
                                                                 p2.register_file.B, p2.register_file.C,
                                                                 p2.register_file.D, p2.register_file.E,
                                                                 p2.register_file.HL, p2.register_file.SP)), None)
    p2.tick(3, False)
    assert seen["r"] == (0x01, 0xB0, 0x00, 0x13, 0x00, 0xD8, 0x014D, 0xFFFE)


def test_cpu_exerciser_reports_every_group():
    p = _pyboy("cpu_instrs")
    out = ""
    for _ in range(300):
        p.tick(1, False)
        out += p._serial()
        if "DONE" in out:
            break
    lines = out.split()
    assert lines[-1] == "DONE" and len(lines) == 33, out
    assert lines[0].startswith("0000:") and lines[16].startswith("CB00:")


def test_game_ends_and_scores_under_random_play():
    p = _pyboy("game")
    rng = np.random.default_rng(1)
    held = 0
    from reference_envs.gameboy.buttons import BUTTONS
    for step in range(3000):
        mask = int(rng.integers(0, 256))
        for bit, name in enumerate(BUTTONS):
            if (mask >> bit & 1) != (held >> bit & 1):
                (p.button_press if mask >> bit & 1 else p.button_release)(name)
        held = mask
        p.tick(4, False)
        if p.memory[0xC0A0]:
            break
    assert p.memory[0xC0A0] == 1 and p.memory[0xC0A2] == 0, "random play should lose all 3 lives"
    assert step < 1000


def test_ppu_roms_draw_something():
    for name in ("ppu_scroll", "ppu_window", "ppu_sprites", "ppu_lyc", "game"):
        p = _pyboy(name)
        p.tick(20, True)
        shades = np.unique(p.screen.ndarray[:, :, 0])
        assert len(shades) >= 2, f"{name}: blank screen"

"""The corpus builds from source and each ROM does what it says, in PyBoy (the reference)."""
import io
import warnings

import numpy as np
import pytest

from reference_envs.gameboy import build
from adapters._gameboy import corpus_problem


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


def _fold(chk: int, word: int) -> int:
    return ((((chk << 1) | (chk >> 15)) & 0xFFFF) + word) & 0xFFFF


def _add_model(a: int, b: int, c: int) -> int:
    """(A << 8) | F after ADD/ADC A,b with carry-in c: our reading of the Pan Docs' flags."""
    t = a + b + c
    f = (0x80 if t & 0xFF == 0 else 0) | (0x20 if (a & 15) + (b & 15) + c > 15 else 0) | (0x10 if t > 0xFF else 0)
    return (t & 0xFF) << 8 | f


def test_alu_sweep_reports_every_group_and_sweeps_every_operand():
    p = _pyboy("alu_sweep")
    out = ""
    for _ in range(400):
        p.tick(16, False)
        out += p._serial()
        if "DONE" in out:
            break
    lines = out.split()
    assert lines[-1] == "DONE" and [ln[:3] for ln in lines[:-1]] == [f"{g:02X}:" for g in range(24)], out
    # groups 00 (ADD A,D) and 01 (ADC A,D, C=0 then C=1) fold every A x every D: the same fold
    # over an independent model of ADD gives the same checksum only if every pair ran
    pattern = [((v << 4 | v >> 4) & 0xFF ^ v) & 0xF0 for v in range(256)]
    add = adc = 0
    for a in range(256):
        for b in reversed(range(256)):  # results are pushed, then popped last-first
            add = _fold(add, _add_model(a, b, 0))
    for c in (0, 1):
        for a in range(256):
            assert ((pattern[a] & 0xE0) | c << 4) >> 4 & 1 == c
            for b in reversed(range(256)):
                adc = _fold(adc, _add_model(a, b, c))
    assert lines[0] == f"00:{add:04X}" and lines[1] == f"01:{adc:04X}"
    assert p.memory[0xC080] | p.memory[0xC081] << 8 == add, "group checksums are kept in WRAM too"

"""The emurust wheel (rust/) is built, current, importable, and runs a ROM like PyBoy does."""

import hashlib
import io
import os
import sys
from pathlib import Path

import numpy as np
import pytest

RUST = Path(__file__).resolve().parents[2] / "rust"
FIX = "build it with `VENV=$PWD/.venv bash rust/setup.sh` (or `./dev.sh setup`)"


def _emurust():
    try:
        import emurust
    except ImportError as e:  # fail, never skip: a missing build is a broken set-up
        pytest.fail(f"the emurust wheel is not installed ({e}); {FIX}")
    return emurust


def _source_hash() -> str:
    files = [RUST / "Cargo.toml", RUST / "Cargo.lock", RUST / "pyproject.toml"]
    files += sorted(RUST.glob("src/**/*.rs"), key=lambda p: str(p.relative_to(RUST)))
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:16]


def _rom(code: bytes) -> bytes:
    rom = bytearray(0x8000)
    rom[0x100:0x104] = bytes([0x00, 0xC3, 0x50, 0x01])
    rom[0x134:0x13C] = b"EMUTEST\0"
    rom[0x150 : 0x150 + len(code)] = code
    x = 0
    for v in rom[0x134:0x14D]:
        x = (x - v - 1) & 0xFF
    rom[0x14D] = x
    return bytes(rom)


# Sends "OK" over serial, turns on BG + sprites with a stripe tile, then counts frames in
# $C000 from a VBlank interrupt while the main loop HALTs.
PROGRAM = bytes(
    [
        0x3E, ord("O"), 0xE0, 0x01, 0x3E, 0x81, 0xE0, 0x02,  # SB='O'; SC=0x81
        0x3E, ord("K"), 0xE0, 0x01,  # SB='K'
        0x21, 0x10, 0x80, 0x06, 0x10, 0x78, 0x22, 0x05, 0x20, 0xFB,  # tile 1 = stripes
        0x21, 0x00, 0x98, 0x3E, 0x01, 0x22, 0x22, 0x22,  # three map entries
        0x3E, 0x01, 0xE0, 0xFF, 0xFB,  # IE=VBlank; EI
        0x76, 0x00, 0x18, 0xFC,  # loop: HALT; NOP; JR loop
    ]
)
VBLANK = bytes([0xF5, 0xFA, 0x00, 0xC0, 0x3C, 0xEA, 0x00, 0xC0, 0xF1, 0xD9])


def _program_rom() -> bytes:
    rom = bytearray(_rom(PROGRAM))
    rom[0x40:0x40 + len(VBLANK)] = VBLANK
    return bytes(rom)


def test_installed_wheel_matches_sources():
    _emurust()
    stamp = Path(os.environ.get("VENV", Path(sys.prefix))) / ".emurust-source-hash"
    if not stamp.exists():
        stamp = Path(sys.prefix) / ".emurust-source-hash"
    assert stamp.exists(), f"no build stamp at {stamp}; {FIX}"
    assert stamp.read_text().strip() == _source_hash(), f"the installed emurust wheel is older than rust/ sources; {FIX}"


def test_runs_a_rom_reports_serial_and_draws():
    emurust = _emurust()
    emu = emurust.Emulator(_program_rom())
    emu.run_frames(10)
    assert emu.serial_output() == b"OK"
    assert emu.serial_output() == b"", "serial_output() returns bytes since the last call"
    assert emu.peek(0xC000) > 0, "the VBlank interrupt counted frames"
    fb = emu.framebuffer()
    assert fb.shape == (144, 160, 4) and fb.dtype == np.uint8
    assert fb.base is not None, "framebuffer() is a view of the emulator's buffer"
    colors = {tuple(c) for c in fb.reshape(-1, 4)}
    assert colors <= {(255, 255, 255, 255), (153, 153, 153, 255), (85, 85, 85, 255), (0, 0, 0, 255)}
    assert len(colors) >= 2, "the stripe tile shows"
    regs = emu.registers()
    assert set(regs) == {"a", "f", "b", "c", "d", "e", "h", "l", "sp", "pc"}


def test_state_round_trip_and_determinism():
    emurust = _emurust()
    a = emurust.Emulator(_program_rom())
    a.run_frames(5)
    state = a.save_state()
    b = emurust.Emulator(_program_rom())
    b.load_state(state)
    a.run_frames(7)
    b.run_frames(7)
    assert a.save_state() == b.save_state()
    assert np.array_equal(a.framebuffer(), b.framebuffer())
    with pytest.raises(ValueError, match="save state"):
        b.load_state(b"not a state")


def test_vec_emulator_matches_single_emulators():
    emurust = _emurust()
    rom = _program_rom()
    vec = emurust.VecEmulator(rom, 3)
    buttons = np.array([0, 0x11, 0x80], np.uint8)
    vec.step_frames(buttons, 4)
    singles = []
    for m in buttons:
        e = emurust.Emulator(rom)
        e.set_buttons(int(m))
        e.run_frames(4)
        singles.append(e)
    fbs = vec.framebuffers()
    assert fbs.shape == (3, 144, 160, 4)
    for i, e in enumerate(singles):
        assert vec.registers(i) == e.registers()
        assert vec.peek(i, 0xC000) == e.peek(0xC000)
        assert np.array_equal(fbs[i], e.framebuffer())
    with pytest.raises(ValueError, match="shape"):
        vec.step_frames(np.zeros(2, np.uint8), 1)


def test_bad_input_names_the_problem():
    emurust = _emurust()
    bad = bytearray(_program_rom())
    bad[0x14D] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        emurust.Emulator(bytes(bad))
    with pytest.raises(ValueError, match="16 KiB"):
        emurust.Emulator(b"\0" * 1000)
    emu = emurust.Emulator(_program_rom())
    with pytest.raises(ValueError, match="unknown button"):
        emu.press("turbo")
    with pytest.raises(IndexError):
        emu.peek(0x10000)


def test_frames_match_pyboy(tmp_path):
    """Ten frames of the program: registers, WRAM, HRAM and the screen equal PyBoy 2.8.1's."""
    emurust = _emurust()
    try:
        from pyboy import PyBoy
    except ImportError as e:
        pytest.fail(f"pyboy (the reference) is not installed ({e}); run ./dev.sh setup")
    rom = _program_rom()
    boot = tmp_path / "boot.bin"
    boot.write_bytes(emurust.DEFAULT_BOOT_ROM)
    ref = PyBoy(io.BytesIO(rom), window="null", bootrom=str(boot), log_level="ERROR", cgb=False)
    emu = emurust.Emulator(rom, emurust.DEFAULT_BOOT_ROM)
    for frame in range(10):
        ref.tick(1, True)
        emu.run_frame(True)
        r = ref.register_file
        got = emu.registers()
        assert (r.A, r.F, r.B, r.C, r.D, r.E, r.HL, r.SP, r.PC) == (
            got["a"], got["f"], got["b"], got["c"], got["d"], got["e"], (got["h"] << 8) | got["l"], got["sp"], got["pc"],
        ), f"frame {frame}"
        assert bytes(ref.memory[0xC000:0xE000]) == emu.read_range(0xC000, 0x2000), f"WRAM, frame {frame}"
        assert bytes(ref.memory[0xFF80:0x10000]) == emu.read_range(0xFF80, 0x80), f"HRAM, frame {frame}"
        assert np.array_equal(ref.screen.ndarray, emu.framebuffer()), f"screen, frame {frame}"
        assert ref._serial().encode("latin-1") == emu.serial_output()
    ref.stop(save=False)


def test_emurust_encodes_the_family_contract_field_by_field():
    """One place for the contract (suites/gameboy/state.py): EmuRust owns its encoder in Rust, and
    its state agrees with the contract in names, dtypes and shapes."""
    from adapters.emurust import EmuRust
    from suites.gameboy.state import SPEC
    port = EmuRust(rom="cpu_instrs", mode="instruction", episode_steps=64)
    port.reset(0)
    state = port.get_state()
    for name, (dtype, shape) in SPEC.items():
        value = np.asarray(state[name])
        assert (value.dtype, value.shape) == (dtype, tuple(shape)), (name, value.dtype, value.shape)
    port.close()

"""Build the ROM corpus from roms/*.asm into build/ (idempotent: rebuilds only what changed).

    python -m reference_envs.gameboy.build          # build everything, print what was done

Each cartridge ROM gets its header checksum ($14D) and global checksum ($14E-$14F)
filled in and is padded to the size its header declares. The boot ROM must come
out at exactly 256 bytes.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from reference_envs.gameboy.asm import AsmError, assemble

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "roms"
BUILD = HERE / "build"

BOOT = "boot"
# name -> what the ROM checks (shown in reports and `equiv list`)
CORPUS = {
    "boot": "equiv's own DMG boot ROM (post-boot state as documented)",
    "cpu_instrs": "CPU exerciser: every legal opcode and CB opcode on pseudo-random inputs, "
                  "per-opcode checksums over serial and in WRAM",
    "timer": "DIV/TIMA/TMA/TAC at every clock select, overflow and reload, timer interrupts",
    "interrupts": "IME, EI delay, HALT wake-up with and without IME, priorities, nested interrupts",
    "ppu_scroll": "background scrolling (SCX/SCY) driven by the joypad and a frame counter",
    "ppu_window": "window over background, WX/WY moved per frame, LCDC window/tile-map bits",
    "ppu_sprites": "sprites via OAM DMA: overlap priority by X and OAM index, BG-over-OBJ, flips, palettes",
    "ppu_lyc": "LYC=LY and mode STAT interrupts changing SCX mid-frame (raster effects)",
    "mbc1": "MBC1 ROM and RAM banking (64 KiB ROM, 8 KiB RAM)",
    "mbc5": "MBC5 ROM and RAM banking (128 KiB ROM, 32 KiB RAM)",
    "game": "Catch: a joypad-driven game (score, lives, game over / win in RAM)",
}


def header_checksum(rom: bytes | bytearray) -> int:
    x = 0
    for b in rom[0x134:0x14D]:
        x = (x - b - 1) & 0xFF
    return x


def finish_cartridge(data: bytearray, name: str) -> bytes:
    if len(data) < 0x150:
        raise AsmError(f"{name}: a cartridge ROM needs a header (include header.inc)")
    size = 0x8000 << data[0x148]
    if len(data) > size:
        raise AsmError(f"{name}: {len(data)} bytes do not fit the {size}-byte size the header declares")
    rom = bytearray(data) + bytes(size - len(data))
    rom[0x14D] = header_checksum(rom)
    total = (sum(rom) - rom[0x14E] - rom[0x14F]) & 0xFFFF
    rom[0x14E:0x150] = total.to_bytes(2, "big")
    return bytes(rom)


def build_one(name: str) -> bytes:
    image = assemble(SOURCES / f"{name}.asm")
    if name == BOOT:
        if len(image.data) != 256:
            raise AsmError(f"boot ROM is {len(image.data)} bytes, must be exactly 256")
        return bytes(image.data)
    return finish_cartridge(image.data, name)


def source_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(SOURCES.glob("*")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update((HERE / "asm.py").read_bytes() + Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def rom_path(name: str) -> Path:
    return BUILD / f"{name}.{'bin' if name == BOOT else 'gb'}"


def built_ok() -> str | None:
    """None when build/ holds every ROM for the current sources; else what is wrong."""
    stamp = BUILD / "stamp.json"
    if not stamp.is_file():
        return "the Game Boy ROM corpus is not built"
    if json.loads(stamp.read_text()).get("sources") != source_digest():
        return "the Game Boy ROM corpus is out of date with roms/*.asm"
    absent = [n for n in CORPUS if not rom_path(n).is_file()]
    return f"ROMs missing from {BUILD}: {absent}" if absent else None


def build_all(verbose: bool = True) -> dict:
    if built_ok() is None:
        if verbose:
            print(f"gameboy ROMs up to date in {BUILD}")
        return json.loads((BUILD / "stamp.json").read_text())
    BUILD.mkdir(exist_ok=True)
    shas = {}
    for name in CORPUS:
        rom = build_one(name)
        rom_path(name).write_bytes(rom)
        shas[name] = hashlib.sha256(rom).hexdigest()
        if verbose:
            print(f"built {rom_path(name).relative_to(HERE.parent.parent)} ({len(rom)} bytes)")
    stamp = {"sources": source_digest(), "sha256": shas}
    (BUILD / "stamp.json").write_text(json.dumps(stamp, indent=1))
    return stamp


if __name__ == "__main__":
    try:
        build_all()
    except AsmError as e:
        sys.exit(f"error: {e}")

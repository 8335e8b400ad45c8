"""Training run for emurust's profile-guided build (rust/pgo.sh): drives an instrumented build of
the extension over every ROM of the Game Boy corpus the way its users do (frames with buttons,
rendering now and then, single steps, a state round trip), so the compiler lays the CPU loop out
for the paths real runs take. Deterministic (the same ROMs and inputs every time, one thread), so
the profile and the build are too.

    python rust/pgo_train.py DIR ROM_DIR    (DIR: the unpacked instrumented wheel, holding emurust/)
"""
from __future__ import annotations

import pathlib
import sys

FRAMES = 800
STEPS = 2000


def main(argv: list[str]) -> int:
    ext_dir, rom_dir = (pathlib.Path(a) for a in argv[1:3])
    sys.path.insert(0, str(ext_dir))
    import emurust  # the instrumented build in ext_dir

    if not str(emurust.__file__).startswith(str(ext_dir)):
        raise SystemExit(f"error: imported {emurust.__file__}, not the instrumented build in {ext_dir}")
    boot = (rom_dir / "boot.bin").read_bytes()
    roms = sorted(rom_dir.glob("*.gb"))
    if not roms:
        raise SystemExit(f"error: no *.gb ROMs in {rom_dir}; build the corpus first (reference_envs/gameboy/setup.sh)")
    for rom in roms:
        emu = emurust.Emulator(rom.read_bytes(), boot, sound_emulated=False)
        x = 0x9E3779B9
        for i in range(FRAMES):
            x ^= (x << 13) & 0xFFFFFFFF
            x ^= x >> 17
            x ^= (x << 5) & 0xFFFFFFFF
            emu.set_buttons((x >> 24) & 0xFF)
            emu.run_frame(i % 4 == 0)
        state = emu.save_state()
        for _ in range(STEPS):
            emu.step()
        emu.load_state(state)
        emu.run_frames(10, True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Set-up step: copy numpy's ziggurat tables for the normal distribution into build/ziggurat.json.

    python -m ported_envs.halfcheetah_jax.generate_ziggurat OUT.json

Gymnasium draws HalfCheetah's reset velocities with ``Generator.standard_normal``, numpy's
256-level ziggurat. Its three tables (``ki_double``, ``wi_double``, ``fi_double``) are not
reachable from Python, so they are read here, at set-up, from the installed numpy's static
library ``numpy/random/lib/libnpyrandom.a``: the archive member holding the symbols is an
ELF object, and each table is ``st_size`` bytes at ``st_value`` in its section. Nothing is
typed by hand; :mod:`.pcg64` reads the JSON and the tests check its draws against numpy's.
"""
from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

TABLES = {"ki_double": "<256Q", "wi_double": "<256d", "fi_double": "<256d"}


def library_path() -> Path:
    import numpy
    return Path(numpy.__file__).parent / "random" / "lib" / "libnpyrandom.a"


def _archive_members(blob: bytes):
    if not blob.startswith(b"!<arch>\n"):
        raise SystemExit("error: libnpyrandom.a is not an ar archive")
    pos = 8
    while pos + 60 <= len(blob):
        size = int(blob[pos + 48:pos + 58].decode().strip())
        yield blob[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)


def _elf_symbols(obj: bytes) -> dict:
    """{name: bytes} of the defined data symbols of a 64-bit little-endian ELF object."""
    if obj[:4] != b"\x7fELF" or obj[4] != 2 or obj[5] != 1:
        return {}
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", obj, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + i * shentsize) for i in range(shnum)]
    out = {}
    for sec in sections:
        if sec[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sec[6]]
        for off in range(sec[4], sec[4] + sec[5], 24):
            st_name, _info, _other, shndx, value, size = struct.unpack_from("<IBBHQQ", obj, off)
            start = strtab[4] + st_name
            name = obj[start:obj.index(b"\0", start)].decode()
            if name in TABLES and 0 < shndx < len(sections):
                data_off = sections[shndx][4] + value
                out[name] = obj[data_off:data_off + size]
    return out


def extract(path: Path | None = None) -> dict:
    blob = Path(path or library_path()).read_bytes()
    found = {}
    for member in _archive_members(blob):
        found.update(_elf_symbols(member))
    missing = sorted(set(TABLES) - set(found))
    if missing:
        raise SystemExit(f"error: {missing} not found in {path or library_path()}; the numpy build changed, "
                         f"so the reset draws cannot be reproduced (update generate_ziggurat.py)")
    tables = {name: list(struct.unpack(fmt, found[name])) for name, fmt in TABLES.items()}
    import numpy
    return {"numpy": numpy.__version__, **tables}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ported_envs.halfcheetah_jax.generate_ziggurat OUT.json", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(extract()) + "\n")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Instruction-level evidence for a divergence: bisect a diverging step down to the first
differing instruction and print a gameboy-doctor style trace diff.

Rows are `(pc, a, f, b, c, d, e, h, l, sp, ime, if, ie, halted, ly, div, cycles, pcmem)`,
logged before each executed instruction.

- Reference: the pure-Python PyBoy replays the step with every `fetch_and_execute`
  logged, i.e. PyBoy's real batched behaviour (interrupts checked per batch).
- Port: the adapter's `instruction_rows(state, mask, n)`; with EmuRust that is
  `Emulator.step()` one instruction at a time (PyBoy's single-step semantics), with
  interrupt dispatches and halted fast-forwards folded away so rows line up. Where
  PyBoy's batching moves an interrupt, the first differing row is that interrupt;
  the diff says so.
"""
from __future__ import annotations

from typing import Mapping

COLUMNS = ("PC", "A", "F", "B", "C", "D", "E", "H", "L", "SP", "IME", "IF", "IE", "HALT", "LY", "DIV", "CYC")
VECTORS = {0x40, 0x48, 0x50, 0x58, 0x60}


def doctor_line(row) -> str:
    pc, a, f, b, c, d, e, h, l, sp, ime, if_, ie, halted, ly, div, cyc, mem = row
    return (f"A:{a:02X} F:{f:02X} B:{b:02X} C:{c:02X} D:{d:02X} E:{e:02X} H:{h:02X} L:{l:02X} "
            f"SP:{sp:04X} PC:{pc:04X} PCMEM:{','.join(f'{m:02X}' for m in mem)} "
            f"IME:{ime} IF:{if_ | 0xE0:02X} IE:{ie:02X} HALT:{halted} LY:{ly:02X} DIV:{div:02X} CYC:{cyc}")


# Compared: the CPU's own columns. IF, LY and DIV are shown only: both emulators sync
# the PPU and timer lazily, so between instructions they may lag without any difference.
COMPARED = tuple(i for i, c in enumerate(COLUMNS) if c not in ("IF", "LY", "DIV"))


def _key(row):
    return tuple(row[i] for i in COMPARED) + tuple(row[17])


def first_difference(ref_rows, port_rows) -> int | None:
    for i, (r, p) in enumerate(zip(ref_rows, port_rows)):
        if _key(r) != _key(p):
            return i
    if len(ref_rows) != len(port_rows):
        return min(len(ref_rows), len(port_rows))
    return None


def diff_report(ref_rows, port_rows, context: int = 6) -> str:
    i = first_difference(ref_rows, port_rows)
    if i is None:
        return (f"instruction trace: all {len(ref_rows)} instructions of the step agree (the difference "
                f"is outside the CPU trace: PPU, timer or memory state at the step's end)")
    lines = [f"instruction trace (gameboy-doctor style): first differing instruction is #{i} of the step"]
    for k in range(max(0, i - context), i):
        lines.append(f"   {doctor_line(ref_rows[k])}")
    ref = ref_rows[i] if i < len(ref_rows) else None
    port = port_rows[i] if i < len(port_rows) else None
    lines.append(f"ref {doctor_line(ref) if ref else '(trace ended)'}")
    lines.append(f"prt {doctor_line(port) if port else '(trace ended)'}")
    if ref and port:
        cols = [COLUMNS[k] for k in COMPARED if ref[k] != port[k]]
        if tuple(ref[17]) != tuple(port[17]):
            cols.append("PCMEM")
        lines.append(f"    differing: {', '.join(cols)}")
        prev = ref_rows[i - 1] if i else None
        if prev is not None:
            lines.append(f"    after executing {disassemble(prev[17])} at PC={prev[0]:04X}")
        if ref[0] in VECTORS or port[0] in VECTORS:
            lines.append("    (an interrupt dispatch: PyBoy checks interrupts once per CPU batch; "
                         "see quirk 9 in the PyBoy reference notes)")
    return "\n".join(lines)


_MNEMONICS = None


def disassemble(mem) -> str:
    global _MNEMONICS
    if _MNEMONICS is None:
        try:
            from pyboy.core.opcodes import CPU_COMMANDS  # generated table shipped with the reference
            _MNEMONICS = list(CPU_COMMANDS)
        except Exception:  # noqa: BLE001 - only cosmetic
            _MNEMONICS = []
    op = mem[0]
    if not _MNEMONICS:
        return " ".join(f"{m:02X}" for m in mem[:3])
    name = _MNEMONICS[0x100 + mem[1]] if op == 0xCB else _MNEMONICS[op]
    return f"{name} [{' '.join(f'{m:02X}' for m in mem[:3])}]"


def pure_trace(ref_adapter, start, actions) -> list:
    """Reference rows for the last action, replayed from ``start`` in the pure-Python copy."""
    from reference_envs.gameboy.pure import PureWorker
    worker = getattr(ref_adapter, "_tracer", None)
    if worker is None:
        worker = ref_adapter._tracer = PureWorker(ref_adapter.rom, ref_adapter.boot)
    before = state_before(ref_adapter, start, actions)
    worker.call("set_state", before)
    mask = ref_adapter._mask(actions[-1])
    if ref_adapter.mode == "instruction":
        rows = worker.call("trace_step", mask)
    else:
        rows = []
        for _ in range(ref_adapter.frameskip):
            rows += worker.call("trace", mask, True)
    return rows


def state_before(adapter, start, actions) -> dict:
    """The canonical state right before the last action of ``actions``."""
    if isinstance(start, Mapping):
        adapter.set_state(start)
    else:
        adapter.reset(int(start))
    for a in actions[:-1]:
        adapter.step(a)
    return adapter.get_state()


def explain(reference, ported, start, actions) -> str | None:
    """Suite hook: the instruction-level diff of the diverging step."""
    if not actions:
        return None
    ref_rows = reference.instruction_trace(start, actions)
    before = state_before(reference, start, actions)
    row_fn = getattr(ported, "instruction_rows", None)
    if row_fn is None:
        return diff_report(ref_rows, []) + "\n(the ported adapter offers no instruction_rows())"
    port_rows = row_fn(before, ported._mask(actions[-1]), len(ref_rows))
    return diff_report(ref_rows, port_rows)

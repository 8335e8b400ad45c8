"""L1 case generators for the gameboy family.

`cpu_cases`: one instruction from a Hypothesis-generated CPU state. Registers, flags,
IME, IE/IF, the halted flag and the bytes at PC (any legal opcode, CB-prefixed ones
included, with random operands) are generated; memory around HL, BC, DE and SP gets
random bytes. The base machine (PPU, timer, serial, banks) comes from the reference
itself after a generated number of instructions from power-on, so the instruction
also meets the PPU and timer in different phases.

`play_cases`: for frame-mode variants, a state reached by seeded random play on
the reference, and one random joypad mask.
"""
from __future__ import annotations

import numpy as np

from equiv import Case

# Opcodes PyBoy cannot execute: these hang it forever inside tick() (DB is its
# breakpoint opcode). Listed in ledger.yaml as exclusions.
ILLEGAL = frozenset({0xD3, 0xDB, 0xDD, 0xE3, 0xE4, 0xEB, 0xEC, 0xED, 0xF4, 0xFC, 0xFD})
LEGAL = [op for op in range(256) if op not in ILLEGAL]
WARMUPS = (40, 1500, 9000)  # instructions from power-on (boot done; mid-frame; LCD on, timer running)
POINTER_REGIONS = [(0xC000, 0xDFFF), (0xFF80, 0xFFFE), (0x8000, 0x9FFF), (0xFE00, 0xFEFF),
                   (0xFF00, 0xFF7F), (0x0000, 0xFFFF)]


def _base_states(reference):
    cache = {}

    def get(warmup: int) -> dict:
        if warmup not in cache:
            reference.reset(0)
            for _ in range(warmup):
                reference.step(0)
            cache[warmup] = reference.get_state()
        return {k: np.array(v, copy=True) for k, v in cache[warmup].items()}
    return get


def _poke(state: dict, addr: int, value: int) -> None:
    """Write one byte into the canonical state where the CPU would see it."""
    addr &= 0xFFFF
    if 0xC000 <= addr < 0xFE00:
        state["wram"][(addr - 0xC000) & 0x1FFF] = value
    elif 0xFF80 <= addr < 0xFFFF:
        state["hram"][addr - 0xFF80] = value
    elif 0x8000 <= addr < 0xA000:
        state["vram"][addr - 0x8000] = value
    elif 0xFE00 <= addr < 0xFEA0:
        state["oam"][addr - 0xFE00] = value
    elif 0xFEA0 <= addr < 0xFF00:
        state["unusable"][addr - 0xFEA0] = value


def cpu_cases(reference, variant):
    from hypothesis import strategies as st
    base = _base_states(reference)
    u8, u16 = st.integers(0, 255), st.integers(0, 0xFFFF)

    def pointer():
        return st.sampled_from(POINTER_REGIONS).flatmap(lambda r: st.integers(*r))

    @st.composite
    def case(draw):
        warmup = draw(st.sampled_from(WARMUPS))
        s = base(warmup)
        for r in "abcde":
            s[r] = np.uint8(draw(u8))
        s["f"] = np.uint8(draw(u8) & 0xF0)
        hl, bc, de, sp = draw(pointer()), draw(pointer()), draw(pointer()), draw(pointer())
        s["h"], s["l"] = np.uint8(hl >> 8), np.uint8(hl & 0xFF)
        if draw(st.booleans()):
            s["b"], s["c"] = np.uint8(bc >> 8), np.uint8(bc & 0xFF)
            s["d"], s["e"] = np.uint8(de >> 8), np.uint8(de & 0xFF)
        s["sp"] = np.uint16(sp)
        in_hram = draw(st.integers(0, 7)) == 0
        pc = draw(st.integers(0xFF80, 0xFFF8) if in_hram else st.integers(0xC000, 0xDFF8))
        s["pc"] = np.uint16(pc)
        s["ime"] = np.uint8(draw(st.booleans()))
        s["ie"] = np.uint8(draw(st.sampled_from([0, 0, draw(u8) & 0x1F])))
        s["if_"] = np.uint8(draw(st.sampled_from([0, draw(u8) & 0x1F])))
        s["int_queued"] = np.uint8(0)
        s["ime_delay"] = np.uint8(0)
        opcode = draw(st.sampled_from(LEGAL))
        s["halted"] = np.uint8(opcode == 0x76 and draw(st.booleans()))
        # random bytes where the instruction may read: around the pointers and the stack
        for p in (hl, bc, de, sp, (sp - 2) & 0xFFFF):
            for k in range(-1, 3):
                _poke(s, p + k, draw(u8))
        code = [opcode, draw(u8), draw(u8)]
        for k, byte in enumerate(code):
            _poke(s, pc + k, byte)
        return Case(s, 0, note=f"opcode {opcode:02X} {code[1]:02X} {code[2]:02X} at PC={pc:04X}, "
                               f"{warmup} instructions after power-on")
    return case()


def play_cases(reference, variant):
    from hypothesis import strategies as st

    def reach(seed: int, steps: int, action: int) -> Case:
        rng = np.random.default_rng([seed, 7])
        reference.reset(seed)
        for _ in range(steps):
            out = reference.step(int(rng.integers(0, 256)))
            if out.terminated or out.truncated:
                break
        return Case(reference.get_state(), action, note=f"after {steps} random steps (seed {seed})")
    return st.builds(reach, st.integers(0, 2**31 - 1), st.integers(0, 40), st.integers(0, 255))

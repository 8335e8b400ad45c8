"""L1 case generators for the gameboy family.

Single-instruction variant (`cpu`: one transition is one instruction, one interrupt dispatch or
one halted fast-forward). Its properties, from most to least systematic:

* ``opcodes[XX-YY]`` (16 properties): every legal opcode and CB opcode gets its own case at
  every tier. Each property enumerates the cases of a block of opcodes: one integer draw picks
  the case, so Hypothesis runs each exactly once (every tier allows at least as many examples
  as a block has cases). A case targets one of the opcode's decisions (coverage.py) with inputs
  one step from another outcome.
* ``edges_alu8`` and ``edges_misc``: named operand edges, each its own case at every tier:
  nibble, byte, 12- and 16-bit carry and borrow boundaries (both sides), zero results, DAA's
  correction bounds, signed offsets of ADD SP,e / LD HL,SP+e, rotations of $80/$01.
* ``decisions[k]``: every opcode x decision key of coverage.py (and interrupt dispatch, halted
  wake/stay), enumerated in blocks of at most 200 (the standard tier's examples), inputs biased
  to one step from another outcome: quick samples 40 per block, standard and deep run all, so
  every key is hit.
* ``cpu_instruction``: random machine states (IME, EI delay, IF/IE, HALT, pointers into I/O,
  VRAM, OAM and ROM) with random opcodes and operands.

Every case starts from a base machine taken from the reference itself after 40, 1,500 or 9,000
instructions from power-on, so the instruction also meets the PPU and timer in different phases.

``play_cases``: for frame-mode variants, a state reached by seeded random play on the
reference, and one random joypad mask.
"""
from __future__ import annotations

import weakref
import zlib
from dataclasses import dataclass

import numpy as np

from equiv import Case
from suites.gameboy import coverage as cov

# Opcodes PyBoy cannot execute: these hang it forever inside tick() (DB is its
# breakpoint opcode). Listed in ledger.yaml as exclusions.
ILLEGAL = cov.ILLEGAL
LEGAL = [op for op in range(256) if op not in ILLEGAL]
WARMUPS = (40, 1500, 9000)  # instructions from power-on (boot done; mid-frame; LCD on, timer running)
POINTER_REGIONS = [(0xC000, 0xDFFF), (0xFF80, 0xFFFE), (0x8000, 0x9FFF), (0xFE00, 0xFEFF),
                   (0xFF00, 0xFF7F), (0x0000, 0xFFFF)]
SAFE_REGIONS = [(0xC000, 0xDFFF), (0xFF80, 0xFFFE)]  # plain RAM: what is written is what is read
JR_EDGES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF)  # signed offsets: 0, +1, +127, -128, -2, -1
BLOCK = 32  # opcodes per opcodes[..] property
KEY_BLOCK = 200  # keys per decisions[k] property: the standard tier's l1_examples
NEAR_BOUNDARY = 0.75  # share of targeted cases whose inputs sit one step from another outcome

# --- base machines ----------------------------------------------------------------------
_BASES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _base(reference, warmup: int) -> dict:
    """The reference's state ``warmup`` instructions after power-on (a copy; cached per adapter)."""
    cache = _BASES.setdefault(reference, {})
    if warmup not in cache:
        reference.reset(0)
        for _ in range(warmup):
            reference.step(0)
        cache[warmup] = reference.get_state()
    return {k: np.array(v, copy=True) for k, v in cache[warmup].items()}


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


def _set16(s: dict, pair: str, value: int) -> None:
    value &= 0xFFFF
    if pair == "SP":
        s["sp"] = np.uint16(value)
    else:
        hi, lo = pair.lower()
        s[hi], s[lo] = np.uint8(value >> 8), np.uint8(value & 0xFF)


def _get16(s: dict, pair: str) -> int:
    if pair == "SP":
        return int(s["sp"])
    hi, lo = pair.lower()
    return int(s[hi]) << 8 | int(s[lo])


def _in(rng, regions) -> int:
    lo, hi = regions[rng.integers(len(regions))]
    return int(rng.integers(lo, hi + 1))


def _away_from(rng, pc: int, span: int = 4) -> int:
    """A plain-RAM address outside [pc - 1, pc + span): data that must not overwrite the code."""
    while True:
        p = _in(rng, SAFE_REGIONS)
        if not pc - 1 <= p < pc + span:
            return p


# --- one instruction from a chosen input ----------------------------------------------------
@dataclass(frozen=True)
class Target:
    """What one enumerated case exercises: an opcode (0x100 + n for CB n) and one of its
    decisions, or a special key (IRQ:xx, halted:*); ``edge`` names an operand predicate."""

    code: int | None
    decision: int | None = None
    edge: str | None = None
    special: str | None = None

    def label(self) -> str:
        if self.special:
            return self.special
        op = cov.OPS[self.code]
        text = op.name if self.decision is None else f"{op.name}:{cov.describe(op.kind, self.decision)}"
        return f"{text} [{self.edge}]" if self.edge else text


def _choose_inputs(code: int, decision, edge, rng) -> dict:
    """Inputs of the opcode's decision: those reaching ``decision`` (any when None) and meeting
    the edge predicate; most often one step from another outcome."""
    x, codes, boundary = cov.table(code)
    mask = np.ones(len(codes), bool) if decision is None else codes == decision
    if edge is not None:
        mask &= EDGE_PREDICATES[edge](x)
    if not mask.any():
        raise ValueError(f"no input of {cov.OPS[code].name} meets decision {decision} and edge {edge!r}")
    near = mask & boundary
    pool = near if near.any() and rng.random() < NEAR_BOUNDARY else mask
    i = int(rng.choice(np.flatnonzero(pool)))
    return {k: int(v[i]) for k, v in x.items()}


def _quiet_interrupts(s: dict, rng) -> None:
    """IME, IE and IF at random, but no interrupt dispatched before the instruction."""
    ime = int(rng.integers(2))
    ie, if_ = int(rng.integers(32)), int(rng.integers(32))
    if ime:
        if_ &= ~ie
    s["ime"], s["ie"], s["if_"] = np.uint8(ime), np.uint8(ie), np.uint8(if_)
    s["int_queued"], s["ime_delay"], s["halted"] = np.uint8(0), np.uint8(0), np.uint8(0)


def _place_operand(s: dict, where: str, value: int, pc: int, rng, code_bytes: list) -> None:
    """Put a decided 8-bit input where the instruction reads it: a register, (HL) or d8."""
    if where == "d8" or where == "e":
        code_bytes[1] = value
    elif where == "(HL)":
        p = _away_from(rng, pc)
        _set16(s, "HL", p)
        _poke(s, p, value)
    else:
        s[where.lower()] = np.uint8(value)


def _instruction_case(reference, target: Target, rng) -> Case:
    warmup = WARMUPS[int(rng.integers(len(WARMUPS)))]
    s = _base(reference, warmup)
    for r in "abcdehl":
        s[r] = np.uint8(rng.integers(256))
    s["f"] = np.uint8(rng.integers(16) << 4)
    _quiet_interrupts(s, rng)
    pc = int(rng.integers(0xFF80, 0xFFF8)) if rng.integers(8) == 0 else int(rng.integers(0xC000, 0xDFF8))
    s["pc"] = np.uint16(pc)
    sp = _away_from(rng, pc)  # calls, pushes and RST write below SP
    s["sp"] = np.uint16(sp)
    for k in range(-2, 2):
        _poke(s, sp + k, int(rng.integers(256)))
    for pair in ("BC", "DE", "HL"):  # pointers for loads and stores
        if rng.integers(2):
            p = _in(rng, POINTER_REGIONS)
            _set16(s, pair, p)
            for k in range(-1, 2):
                if not pc <= ((p + k) & 0xFFFF) < pc + 3:
                    _poke(s, p + k, int(rng.integers(256)))
    op = cov.OPS[target.code]
    code_bytes = [0xCB, op.code & 0xFF, 0] if op.cb else [op.code, int(rng.integers(256)), int(rng.integers(256))]
    shown = ""
    if op.name.startswith("JR"):
        code_bytes[1] = JR_EDGES[int(rng.integers(len(JR_EDGES)))]
    if op.kind != "plain":
        x = _choose_inputs(op.code, target.decision, target.edge, rng)
        shown = " " + " ".join(f"{k}={v:02X}" for k, v in x.items())
        f = int(s["f"])
        if "c" in x:
            f = (f & ~0x10) | x["c"] << 4
        if op.kind in cov.ALU_KINDS:
            s["a"] = np.uint8(x["a"])
            if op.operand != "A":
                _place_operand(s, op.operand, x["b"], pc, rng, code_bytes)
        elif op.kind == "daa":
            s["a"] = np.uint8(x["a"])
            f = (f & 0x80) | x["n"] << 6 | x["h"] << 5 | x["c"] << 4
        elif op.kind == "cond":
            f = _flags_for(op.operand, bool(x["taken"]), f)
        elif op.kind == "add16":
            _set16(s, "HL", x["hl"])
            if op.operand != "HL":
                _set16(s, op.operand, x["rr"])
        elif op.kind == "addsp":
            s["sp"] = np.uint16((int(rng.integers(256)) << 8) | x["sp"])
            code_bytes[1] = x["e"]
        elif op.kind != "ccf":  # INC/DEC, rotates, shifts, SWAP, BIT: one 8-bit operand
            _place_operand(s, op.operand, x["a"], pc, rng, code_bytes)
        s["f"] = np.uint8(f & 0xF0)
    for k, byte in enumerate(code_bytes):
        _poke(s, pc + k, byte)
    note = (f"{target.label()}: {' '.join(f'{b:02X}' for b in code_bytes[:op.length])} at PC={pc:04X}"
            f"{shown}, {warmup} instructions after power-on")
    return Case(s, 0, note=note)


def _flags_for(cc: str, taken: bool, f: int) -> int:
    bit = 0x80 if cc in ("NZ", "Z") else 0x10
    want_set = (cc in ("Z", "C")) == taken
    return (f | bit) if want_set else (f & ~bit)


def _special_case(reference, target: Target, rng) -> Case:
    """An interrupt dispatch (IRQ:xx) or a halted CPU staying halted or waking up."""
    warmup = WARMUPS[int(rng.integers(len(WARMUPS)))]
    s = _base(reference, warmup)
    for r in "abcdehl":
        s[r] = np.uint8(rng.integers(256))
    s["f"] = np.uint8(rng.integers(16) << 4)
    pc = int(rng.integers(0xC000, 0xDFF8))
    s["pc"] = np.uint16(pc)
    s["sp"] = np.uint16(_away_from(rng, pc))
    s["int_queued"], s["ime_delay"] = np.uint8(0), np.uint8(0)
    key = target.special
    if key.startswith("IRQ:"):
        bit = cov.IRQ_VECTORS.index(int(key[4:], 16))
        low = 1 << bit
        above = int(rng.integers(32)) & ~((low << 1) - 1)  # only higher-numbered (later) sources besides
        s["ie"], s["if_"] = np.uint8(low | (above & int(rng.integers(32)))), np.uint8(low | above)
        s["ime"], s["halted"] = np.uint8(1), np.uint8(rng.integers(2))
        _poke(s, pc, 0x76 if int(s["halted"]) else int(rng.choice(LEGAL)))
    else:
        s["halted"] = np.uint8(1)
        _poke(s, pc, 0x76)
        _poke(s, pc + 1, int(rng.choice(LEGAL)))
        ie = int(rng.integers(1, 32))
        if key == "halted:wake":
            s["ime"], s["ie"], s["if_"] = np.uint8(0), np.uint8(ie), np.uint8(ie & int(rng.integers(1, 32)) or ie)
        else:
            s["ime"], s["ie"], s["if_"] = np.uint8(rng.integers(2)), np.uint8(ie), np.uint8(int(rng.integers(32)) & ~ie)
    return Case(s, 0, note=f"{key}: PC={pc:04X} IE={int(s['ie']):02X} IF={int(s['if_']):02X} "
                           f"halted={int(s['halted'])}, {warmup} instructions after power-on")


def make_case(reference, target: Target, seed) -> Case:
    rng = np.random.default_rng(seed)
    if target.special and target.special.startswith(("timer:", "irq:")):
        return _edge_case(reference, target, rng)
    if target.special and target.special.startswith("ppu:"):
        return _ppu_case(reference, target, rng)
    if target.special:
        return _special_case(reference, target, rng)
    return _instruction_case(reference, target, rng)


def enumerated(name: str, targets):
    """A property's cases(reference, variant) over ``targets()`` (computed when first run): one
    integer draw picks target i, built deterministically from (name, i), so Hypothesis
    enumerates the targets (each once when the tier allows as many examples) and shrinks toward
    the first ones."""
    salt = zlib.crc32(name.encode())

    def cases(reference, variant):
        from hypothesis import strategies as st
        chosen = targets()
        return st.integers(0, len(chosen) - 1).map(lambda i: make_case(reference, chosen[i], [salt, i]))
    return cases


# --- target lists ---------------------------------------------------------------------------
def _opcode_target(code: int) -> Target:
    found = cov.decisions(code)
    return Target(code, found[(code * 7) % len(found)] if found else None)


def opcode_blocks() -> list[tuple[str, list]]:
    """(property name, opcodes): every opcode once, in blocks of BLOCK."""
    out = []
    for prefix, codes in (("", sorted(cov.MAIN)), ("CB", sorted(cov.CB))):
        for start in range(0, 256, BLOCK):
            block = [c for c in codes if start <= (c & 0xFF) < start + BLOCK]
            if block:
                out.append((f"opcodes[{prefix}{start:02X}-{prefix}{start + BLOCK - 1:02X}]", block))
    return out


def opcode_targets(codes: list[int]) -> list[Target]:
    return [_opcode_target(c) for c in codes]


KEY_BLOCKS = 5  # decisions[0..4]: 802 keys (coverage.all_keys()) in blocks of at most KEY_BLOCK


def key_block(k: int) -> list[Target]:
    """Block k of every opcode x decision key and the special keys."""
    targets = [Target(code, d) for code in cov.OPS for d in cov.decisions(code)]
    targets += [Target(None, special=key) for key in cov.SPECIAL_KEYS]
    size = -(-len(targets) // KEY_BLOCKS)
    if size > KEY_BLOCK:
        raise ValueError(f"{len(targets)} decision keys do not fit {KEY_BLOCKS} blocks of {KEY_BLOCK} "
                         f"(the standard tier's examples); raise KEY_BLOCKS in suites/gameboy/cases.py")
    return targets[k * size:(k + 1) * size]


def _codes(kind: str, operands=None) -> list[int]:
    return [c for c, op in cov.OPS.items() if op.kind == kind and (operands is None or op.operand in operands)]


# Operand edges: predicates over a decision's inputs (coverage.domain), each on one side of a
# boundary where one value decides a flag.
EDGE_PREDICATES = {
    "nibble sum 0F": lambda x: (x["a"] & 15) + (x["b"] & 15) == 15,
    "nibble sum 10": lambda x: (x["a"] & 15) + (x["b"] & 15) == 16,
    "sum FF": lambda x: x["a"] + x["b"] == 0xFF,
    "sum 100": lambda x: x["a"] + x["b"] == 0x100,
    "nibble sum+C 0F": lambda x: ((x["a"] & 15) + (x["b"] & 15) + x["c"] == 15) & (x["c"] == 1),
    "nibble sum+C 10": lambda x: ((x["a"] & 15) + (x["b"] & 15) + x["c"] == 16) & (x["c"] == 1),
    "sum+C FF": lambda x: (x["a"] + x["b"] + x["c"] == 0xFF) & (x["c"] == 1),
    "sum+C 100": lambda x: (x["a"] + x["b"] + x["c"] == 0x100) & (x["c"] == 1),
    "nibble diff 0": lambda x: (x["a"] & 15) == (x["b"] & 15),
    "nibble diff -1": lambda x: (x["a"] & 15) - (x["b"] & 15) == -1,
    "diff 0": lambda x: x["a"] == x["b"],
    "diff -1": lambda x: x["a"] - x["b"] == -1,
    "nibble diff-C 0": lambda x: ((x["a"] & 15) - (x["b"] & 15) - x["c"] == 0) & (x["c"] == 1),
    "nibble diff-C -1": lambda x: ((x["a"] & 15) - (x["b"] & 15) - x["c"] == -1) & (x["c"] == 1),
    "diff-C 0": lambda x: (x["a"] - x["b"] - x["c"] == 0) & (x["c"] == 1),
    "diff-C -1": lambda x: (x["a"] - x["b"] - x["c"] == -1) & (x["c"] == 1),
    "AND 0 from nonzero": lambda x: ((x["a"] & x["b"]) == 0) & (x["a"] != 0) & (x["b"] != 0),
    "AND one bit": lambda x: _one_bit(x["a"] & x["b"]),
    "XOR equal": lambda x: (x["a"] == x["b"]) & (x["a"] != 0),
    "XOR one bit": lambda x: _one_bit(x["a"] ^ x["b"]),
    "OR zero": lambda x: (x["a"] | x["b"]) == 0,
    "OR one bit": lambda x: _one_bit(x["a"] | x["b"]),
    "low nibble E": lambda x: (x["a"] & 15) == 14,
    "low nibble F": lambda x: (x["a"] & 15) == 15,
    "low nibble 0": lambda x: (x["a"] & 15) == 0,
    "low nibble 1": lambda x: (x["a"] & 15) == 1,
    "value FF": lambda x: x["a"] == 0xFF,
    "value 00": lambda x: x["a"] == 0x00,
    "value 01": lambda x: x["a"] == 0x01,
    "value 80": lambda x: x["a"] == 0x80,
    "value 80, C=0": lambda x: (x["a"] == 0x80) & (x["c"] == 0),
    "value 01, C=0": lambda x: (x["a"] == 0x01) & (x["c"] == 0),
    "DAA add, low nibble 9": lambda x: (x["n"] == 0) & (x["h"] == 0) & (x["c"] == 0) & ((x["a"] & 15) == 9),
    "DAA add, low nibble A": lambda x: (x["n"] == 0) & (x["h"] == 0) & (x["c"] == 0) & ((x["a"] & 15) == 10),
    "DAA add, A=99": lambda x: (x["n"] == 0) & (x["h"] == 0) & (x["c"] == 0) & (x["a"] == 0x99),
    "DAA add, A=9A": lambda x: (x["n"] == 0) & (x["h"] == 0) & (x["c"] == 0) & (x["a"] == 0x9A),
    "DAA add, A=A0": lambda x: (x["n"] == 0) & (x["h"] == 0) & (x["c"] == 0) & (x["a"] == 0xA0),
    "DAA add, H": lambda x: (x["n"] == 0) & (x["h"] == 1) & (x["c"] == 0) & ((x["a"] & 15) <= 9),
    "DAA sub, H": lambda x: (x["n"] == 1) & (x["h"] == 1) & (x["c"] == 0),
    "DAA sub, C": lambda x: (x["n"] == 1) & (x["h"] == 0) & (x["c"] == 1),
    "SP nibble sum 0F": lambda x: (x["sp"] & 15) + (x["e"] & 15) == 15,
    "SP nibble sum 10": lambda x: (x["sp"] & 15) + (x["e"] & 15) == 16,
    "SP byte sum FF": lambda x: x["sp"] + x["e"] == 0xFF,
    "SP byte sum 100": lambda x: x["sp"] + x["e"] == 0x100,
    "e = +127": lambda x: x["e"] == 0x7F,
    "e = -128": lambda x: x["e"] == 0x80,
    "12-bit sum FFF": lambda x: (x["hl"] & 0xFFF) + (x["rr"] & 0xFFF) == 0xFFF,
    "12-bit sum 1000": lambda x: (x["hl"] & 0xFFF) + (x["rr"] & 0xFFF) == 0x1000,
    "16-bit sum FFFF": lambda x: x["hl"] + x["rr"] == 0xFFFF,
    "16-bit sum 10000": lambda x: x["hl"] + x["rr"] == 0x10000,
}


def _one_bit(v):
    return (v != 0) & ((v & (v - 1)) == 0)


def _rotating(codes: list[int], edges: list[str]) -> list[Target]:
    """One target per edge, the opcode rotating through ``codes`` (different sources)."""
    return [Target(codes[i % len(codes)], None, e) for i, e in enumerate(edges)]


def alu8_edges() -> list[Target]:
    def binary(kind):
        return _codes(kind, ("B", "C", "D", "E", "H", "L", "(HL)", "d8"))
    out = []
    out += _rotating(binary("add"), ["nibble sum 0F", "nibble sum 10", "sum FF", "sum 100"])
    out += _rotating(binary("adc"), ["nibble sum+C 0F", "nibble sum+C 10", "sum+C FF", "sum+C 100"])
    for kind in ("sub", "cp"):
        out += _rotating(binary(kind), ["nibble diff 0", "nibble diff -1", "diff 0", "diff -1"])
    out += _rotating(binary("sbc"), ["nibble diff-C 0", "nibble diff-C -1", "diff-C 0", "diff-C -1"])
    out += _rotating(binary("and"), ["AND 0 from nonzero", "AND one bit"])
    out += _rotating(binary("xor"), ["XOR equal", "XOR one bit"])
    out += _rotating(binary("or"), ["OR zero", "OR one bit"])
    out += _rotating(_codes("inc"), ["low nibble E", "low nibble F", "value FF", "value 00"])
    out += _rotating(_codes("dec"), ["low nibble 0", "low nibble 1", "value 01", "value 00"])
    return out


def misc_edges() -> list[Target]:
    out = _rotating([0x27], ["DAA add, low nibble 9", "DAA add, low nibble A", "DAA add, A=99",
                             "DAA add, A=9A", "DAA add, A=A0", "DAA add, H", "DAA sub, H", "DAA sub, C"])
    sp_edges = ["SP nibble sum 0F", "SP nibble sum 10", "SP byte sum FF", "SP byte sum 100"]
    out += _rotating([0xE8], sp_edges + ["e = -128"]) + _rotating([0xF8], sp_edges + ["e = +127"])
    out += _rotating([0x09, 0x19, 0x39, 0x09], ["12-bit sum FFF", "12-bit sum 1000", "16-bit sum FFFF",
                                                "16-bit sum 10000"])
    out += [Target(0x07, None, "value 80"), Target(0x0F, None, "value 01"), Target(0x17, None, "value 80, C=0"),
            Target(0x1F, None, "value 01, C=0")]
    cb = {name: [c for c, op in cov.CB.items() if op.kind == name] for name in ("rlc", "rrc", "rl", "rr", "sla",
                                                                              "sra", "srl", "swap")}
    out += [Target(cb["rlc"][1], None, "value 80"), Target(cb["rrc"][2], None, "value 01"),
            Target(cb["rl"][3], None, "value 80, C=0"), Target(cb["rr"][4], None, "value 01, C=0"),
            Target(cb["sla"][5], None, "value 80"), Target(cb["sra"][6], None, "value 01"),
            Target(cb["sra"][7], None, "value 80"), Target(cb["srl"][0], None, "value 01"),
            Target(cb["swap"][1], None, "value 00")]
    return out


# --- timer and interrupt edges ---------------------------------------------------------------
TIMER_PERIOD = (1024, 16, 64, 256)  # TAC clock select -> cycles per TIMA increment
LDH_A = {"NOP": [0x00], "read TIMA": [0xF0, 0x05], "write TIMA": [0xE0, 0x05], "write TMA": [0xE0, 0x06],
         "write DIV": [0xE0, 0x04], "write TAC": [0xE0, 0x07], "write IF": [0xE0, 0x0F],
         "write IE": [0xE0, 0xFF], "EI": [0xFB], "DI": [0xF3], "RETI": [0xD9], "HALT": [0x76],
         "LD A,B": [0x78]}


def _timer_cti(div_counter: int, tima: int, tac: int, reload: int, counter: int) -> int:
    """Cycles to the next TIMA overflow as the reference's timer keeps them after a catch-up."""
    if not tac & 4:
        return 1 << 31
    period = TIMER_PERIOD[tac & 3]
    cti = ((div_counter & ~(period - 1)) + period) - div_counter + (0xFF - tima) * period
    return min(cti, counter) if reload == 1 else cti


def timer_edges() -> list[Target]:
    """TIMA overflowing inside the instruction or just after it, at every clock select; the
    reload cycles (TIMA reads 0, TIMA writes ignored, TMA written through); DIV and TAC writes
    on and off a falling edge of the selected counter bit."""
    out = []
    for sel in range(4):
        for k in (1, 4, 5):  # the overflowing increment k cycles after the instruction starts
            out.append(Target(None, special=f"timer:overflow in {k}:{sel}:NOP"))
    for reload, counters in ((1, (1, 4)), (2, (1, 4))):
        for c in counters:
            for op in ("read TIMA", "write TIMA", "write TMA"):
                out.append(Target(None, special=f"timer:reload {reload} counter {c}:{c % 4}:{op}"))
    for sel in range(4):
        out.append(Target(None, special=f"timer:bit set:{sel}:write DIV"))
    out.append(Target(None, special="timer:bit clear:1:write DIV"))
    for sel, a, label in ((1, 0x00, "off"), (1, 0x04 | 0, "select 0"), (2, 0x05, "select 1"), (0, 0x07, "select 3")):
        out.append(Target(None, special=f"timer:bit set, TAC {label} {a:02X}:{sel}:write TAC"))
    return out


def interrupt_edges() -> list[Target]:
    """EI's delay running out with an interrupt pending (after NOP, DI, HALT, RETI, EI), RETI and
    IF/IE writes with IME on, HALT with IME off and a pending interrupt, and dispatches whose
    pushes land on IE (SP = 0000 or 0001)."""
    out = []
    for delay in (1, 2):
        for pending in (True, False):
            for op in ("NOP", "DI", "HALT", "RETI", "EI"):
                if pending or op in ("NOP", "HALT"):
                    out.append(Target(None, special=f"irq:ime_delay {delay}, {'pending' if pending else 'idle'}:{op}"))
    for op in ("RETI", "write IF", "write IE", "HALT"):
        out.append(Target(None, special=f"irq:IME on, quiet:{op}"))
    out.append(Target(None, special="irq:IME off, pending:HALT"))
    for sp in (0x0000, 0x0001, 0x0002):
        out.append(Target(None, special=f"irq:dispatch, SP={sp:04X}:NOP"))
    return out


PPU_OPS = {"NOP": [0x00], "read STAT": [0xF0, 0x41], "read LY": [0xF0, 0x44], "write LYC": [0xE0, 0x45],
           "write STAT": [0xE0, 0x41], "LCD off": [0xE0, 0x40], "write SCX": [0xE0, 0x43],
           "write WY": [0xE0, 0x4A], "read VRAM": [0x7E], "write VRAM": [0x77], "read OAM": [0x7E],
           "write OAM": [0x77], "HALT": [0x76]}
PPU_WARMUPS = (40, 300, 700, 1100, 1500)  # the LCD still on (the CPU exerciser switches it off later)


def ppu_edges() -> list[Target]:
    """The PPU a few cycles before its next mode change or line (LY) change, with LYC equal to
    the current or the next line, STAT sources, IE and the window line chosen at random, then an
    instruction that reads or writes STAT, LY, LYC, SCX, WY, LCDC, VRAM or OAM (or halts)."""
    out = []
    for d in (1, 2, 4, 8, 16):
        for op in ("NOP", "read STAT", "read LY", "write LYC", "write STAT", "read VRAM", "write OAM", "HALT"):
            out.append(Target(None, special=f"ppu:{d} cycles before the next event:{op}"))
    return out[:36] + [Target(None, special=f"ppu:4 cycles before the next event:{op}")
                       for op in ("LCD off", "write SCX", "write WY", "write VRAM")]


def _ppu_case(reference, target: Target, rng) -> Case:
    warmup = PPU_WARMUPS[int(rng.integers(len(PPU_WARMUPS)))]
    s = _base(reference, warmup)
    for r in "bcde":
        s[r] = np.uint8(rng.integers(256))
    s["f"] = np.uint8(rng.integers(16) << 4)
    _quiet_interrupts(s, rng)
    s["ie"] = np.uint8(int(s["ie"]) | (0x02 if rng.integers(2) else 0))  # the STAT interrupt, often
    if int(s["ime"]):
        s["if_"] = np.uint8(int(s["if_"]) & ~int(s["ie"]))
    _, edge, op = target.special.split(":")
    d = int(edge.split()[0])
    # later in the current mode: as if d cycles before its end had passed (nothing else moves)
    clock, goal = int(s["lcd_clock"]), int(s["lcd_clock_target"])
    if goal > clock:
        s["lcd_clock"] = np.uint64(goal - min(d, goal - clock))
    ly = int(s["ly"])
    s["lyc"] = np.uint8(int(rng.choice([ly, (ly + 1) % 154, int(rng.integers(154))])))
    s["stat"] = np.uint8((int(s["stat"]) & 0x87) | (int(rng.integers(16)) << 3))
    s["wy"] = np.uint8(int(rng.choice([ly, (ly + 1) % 154, int(rng.integers(144))])))
    pc = int(rng.integers(0xC000, 0xDFF0))
    s["pc"], s["sp"] = np.uint16(pc), np.uint16(_away_from(rng, pc, 6))
    a = {"write LYC": int(rng.choice([ly, (ly + 1) % 154])), "write STAT": int(rng.integers(256)),
         "LCD off": 0x11, "write SCX": int(rng.integers(256)), "write WY": int(rng.choice([ly, ly + 1]))}.get(
        op, int(rng.integers(256)))
    s["a"] = np.uint8(a)
    if "VRAM" in op or "OAM" in op:
        p = (0x8000 + int(rng.integers(0x2000))) if "VRAM" in op else (0xFE00 + int(rng.integers(0xA0)))
        s["h"], s["l"] = np.uint8(p >> 8), np.uint8(p & 0xFF)
    code = PPU_OPS[op] + [int(rng.integers(256)) for _ in range(2)]
    for k, byte in enumerate(code[:3]):
        _poke(s, pc + k, byte)
    return Case(s, 0, note=f"{target.special}: LY={ly} LYC={int(s['lyc'])} STAT={int(s['stat']):02X} "
                           f"clock {int(s['lcd_clock'])}/{goal} A={a:02X} at PC={pc:04X}, {warmup} instructions "
                           f"after power-on")


def _edge_case(reference, target: Target, rng) -> Case:
    """A timer or interrupt edge: a machine set up at the edge, then one instruction."""
    warmup = WARMUPS[int(rng.integers(len(WARMUPS)))]
    s = _base(reference, warmup)
    for r in "bcdehl":
        s[r] = np.uint8(rng.integers(256))
    s["f"] = np.uint8(rng.integers(16) << 4)
    _quiet_interrupts(s, rng)
    pc = int(rng.integers(0xC000, 0xDFF0))
    s["pc"] = np.uint16(pc)
    sp = _away_from(rng, pc, 6)
    s["sp"] = np.uint16(sp)
    for k in range(-2, 2):
        _poke(s, sp + k, int(rng.integers(256)))
    parts = target.special.split(":")  # timer:<edge>:<clock select>:<op>, irq:<edge>:<op>
    kind, edge, op = parts[0], parts[1], parts[-1]
    a = int(rng.integers(256))
    if kind == "timer":
        sel = int(parts[2])
        period = TIMER_PERIOD[sel]
        tac = 4 | sel
        tima, reload, counter = int(rng.integers(256)), 0, 0
        base = int(rng.integers(0, 0x10000 // period)) * period
        dc = (base + int(rng.integers(period))) & 0xFFFF
        if edge.startswith("overflow in"):
            k = int(edge.split()[-1])
            tima, dc = 0xFF, (base + period - k) & 0xFFFF
        elif edge.startswith("reload"):
            reload, counter = int(edge.split()[1]), int(edge.split()[-1])
            tima = int(s["tma"]) if reload == 2 else 0
        elif edge.startswith("bit set"):
            dc = (base + period // 2 + int(rng.integers(period // 2))) & 0xFFFF  # selected bit set
            if "TAC" in edge:
                a = int(edge.split()[-1], 16)
        elif edge.startswith("bit clear"):
            dc = (base + int(rng.integers(period // 2))) & 0xFFFF
        s["tma"] = np.uint8(rng.integers(256))
        if reload == 2:
            tima = int(s["tma"])
        s["tac"], s["tima"], s["div_counter"] = np.uint8(tac), np.uint8(tima), np.uint16(dc)
        s["div"] = np.uint8(dc >> 8)
        s["tima_reload_state"], s["tima_counter"] = np.uint8(reload), np.uint16(counter)
        s["timer_last_cycles"] = np.uint64(int(s["cycles"]))
        s["timer_cycles_to_interrupt"] = np.uint64(_timer_cti(dc, tima, tac, reload, counter))
    else:
        if edge.startswith("ime_delay"):
            delay = int(edge.split()[1].rstrip(","))
            ie = int(rng.integers(1, 32))
            pending = edge.endswith("pending")
            s["ime"], s["ime_delay"], s["ie"] = np.uint8(0), np.uint8(delay), np.uint8(ie)
            s["if_"] = np.uint8((ie & int(rng.integers(1, 32)) or ie) if pending else int(rng.integers(32)) & ~ie)
        elif edge == "IME on, quiet":
            ie = int(rng.integers(1, 32))
            s["ime"], s["ie"], s["if_"] = np.uint8(1), np.uint8(ie), np.uint8(int(rng.integers(32)) & ~ie)
            if op == "write IF":
                a = ie & int(rng.integers(1, 32)) or ie  # raises an enabled interrupt
            elif op == "write IE":
                s["if_"] = np.uint8(int(rng.integers(1, 32)))
                a = int(s["if_"])
            elif op == "RETI":
                s["if_"] = np.uint8(ie)
                s["ime"] = np.uint8(0)
        elif edge == "IME off, pending":
            ie = int(rng.integers(1, 32))
            s["ime"], s["ie"], s["if_"] = np.uint8(0), np.uint8(ie), np.uint8(ie)
        elif edge.startswith("dispatch"):
            sp = int(edge.split("=")[1], 16)
            s["sp"] = np.uint16(sp)
            ie = int(rng.integers(1, 32))
            s["ime"], s["ie"], s["if_"] = np.uint8(1), np.uint8(ie), np.uint8(ie & int(rng.integers(1, 32)) or ie)
    s["a"] = np.uint8(a)
    code = LDH_A[op] + [int(rng.integers(256)) for _ in range(2)]
    for k, byte in enumerate(code[:3]):
        _poke(s, pc + k, byte)
    return Case(s, 0, note=f"{target.special}: {' '.join(f'{b:02X}' for b in LDH_A[op])} at PC={pc:04X} "
                           f"A={a:02X}, {warmup} instructions after power-on")


# --- random machine states --------------------------------------------------------------------
def cpu_cases(reference, variant):
    from hypothesis import strategies as st
    u8 = st.integers(0, 255)

    def pointer():
        return st.sampled_from(POINTER_REGIONS).flatmap(lambda r: st.integers(*r))

    @st.composite
    def case(draw):
        warmup = draw(st.sampled_from(WARMUPS))
        s = _base(reference, warmup)
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
        s["ime_delay"] = np.uint8(draw(st.sampled_from([0, 0, 0, 1, 2])))
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

"""Coverage keys of the gameboy family's single-instruction variant: opcode x decision.

A transition of the `cpu` variant executes one instruction (or dispatches an interrupt, or
fast-forwards a halted CPU). Its key names the instruction and the outcome of every decision
the instruction takes from its inputs: the flags it computes (not those it sets to a constant
or leaves alone), whether a conditional jump, call or return is taken, DAA's correction. E.g.
``ADD A,B:Z=0,H=1,C=0``, ``JR NZ,e:taken``, ``DAA:N=0,adj=66,Z=0``, ``LD A,B``; and
``IRQ:40`` .. ``IRQ:60``, ``halted:stay``, ``halted:wake``.

``keys(variant)`` is the universe: every key some input reaches, found by running a model of
the decisions over each instruction's input domain (8-bit inputs exhaustively, 16-bit ones
over samples rich in boundary values that reach every outcome). The model (``DOMAINS``,
``decide``) only names and targets keys; cases.py uses it to build inputs for a chosen key,
biased to inputs one step from another outcome. What is compared is always the reference's
transition against the port's.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

R8 = ("B", "C", "D", "E", "H", "L", "(HL)", "A")
R16 = ("BC", "DE", "HL", "SP")
CC = ("NZ", "Z", "NC", "C")
ALU_NAMES = ("ADD A,", "ADC A,", "SUB ", "SBC A,", "AND ", "XOR ", "OR ", "CP ")
ALU_KINDS = ("add", "adc", "sub", "sbc", "and", "xor", "or", "cp")
CB_SHIFTS = ("RLC", "RRC", "RL", "RR", "SLA", "SRA", "SWAP", "SRL")
ILLEGAL = frozenset({0xD3, 0xDB, 0xDD, 0xE3, 0xE4, 0xEB, 0xEC, 0xED, 0xF4, 0xFC, 0xFD})
IRQ_VECTORS = (0x40, 0x48, 0x50, 0x58, 0x60)
SPECIAL_KEYS = tuple(f"IRQ:{v:02X}" for v in IRQ_VECTORS) + ("halted:stay", "halted:wake")
INSTRUCTION_VARIANTS = ("cpu",)

# The flags each kind decides, in key order.
FLAGS = {**{k: "ZHC" for k in ("add", "adc", "sub", "sbc", "cp")}, **{k: "Z" for k in ("and", "xor", "or")},
         "inc": "ZH", "dec": "ZH", "rlca": "C", "rrca": "C", "rla": "C", "rra": "C", "ccf": "C",
         "add16": "HC", "addsp": "HC", "bit": "Z", "swap": "Z",
         **{k: "ZC" for k in ("rlc", "rrc", "rl", "rr", "sla", "sra", "srl")}}


@dataclass(frozen=True)
class Op:
    code: int  # 0..255, or 0x100 + n for CB n
    name: str
    length: int  # bytes, the CB prefix included
    kind: str = "plain"  # decision model; "plain" takes no decision
    operand: str = ""  # the decided input's place: an R8 name, "d8", "e", an R16 name, a CC name
    bit: int = 0  # BIT n

    @property
    def cb(self) -> bool:
        return self.code >= 0x100


def _main_ops() -> dict:
    ops = {}

    def put(code, name, length=1, kind="plain", operand=""):
        ops[code] = Op(code, name, length, kind, operand)

    put(0x00, "NOP")
    put(0x10, "STOP", 2)
    put(0x08, "LD (a16),SP", 3)
    put(0x18, "JR e", 2)
    put(0x27, "DAA", kind="daa", operand="A")
    put(0x2F, "CPL")
    put(0x37, "SCF")
    put(0x3F, "CCF", kind="ccf")
    for i, rr in enumerate(R16):
        put(0x01 + 16 * i, f"LD {rr},d16", 3)
        put(0x03 + 16 * i, f"INC {rr}")
        put(0x0B + 16 * i, f"DEC {rr}")
        put(0x09 + 16 * i, f"ADD HL,{rr}", kind="add16", operand=rr)
    for i, name in enumerate(("(BC)", "(DE)", "(HL+)", "(HL-)")):
        put(0x02 + 16 * i, f"LD {name},A")
        put(0x0A + 16 * i, f"LD A,{name}")
    for r, reg in enumerate(R8):
        put(0x04 + 8 * r, f"INC {reg}", kind="inc", operand=reg)
        put(0x05 + 8 * r, f"DEC {reg}", kind="dec", operand=reg)
        put(0x06 + 8 * r, f"LD {reg},d8", 2)
    for code, name in ((0x07, "RLCA"), (0x0F, "RRCA"), (0x17, "RLA"), (0x1F, "RRA")):
        put(code, name, kind=name.lower(), operand="A")
    for c, cc in enumerate(CC):
        put(0x20 + 8 * c, f"JR {cc},e", 2, "cond", cc)
        put(0xC0 + 8 * c, f"RET {cc}", 1, "cond", cc)
        put(0xC2 + 8 * c, f"JP {cc},a16", 3, "cond", cc)
        put(0xC4 + 8 * c, f"CALL {cc},a16", 3, "cond", cc)
    for code in range(0x40, 0x80):
        if code == 0x76:
            put(code, "HALT")
        else:
            put(code, f"LD {R8[(code >> 3) & 7]},{R8[code & 7]}")
    for k, (name, kind) in enumerate(zip(ALU_NAMES, ALU_KINDS)):
        for r, reg in enumerate(R8):
            put(0x80 + 8 * k + r, f"{name}{reg}", kind=kind, operand=reg)
        put(0xC6 + 8 * k, f"{name}d8", 2, kind, "d8")
        put(0xC7 + 8 * k, f"RST {8 * k:02X}H")
    for i, rr in enumerate(("BC", "DE", "HL", "AF")):
        put(0xC1 + 16 * i, f"POP {rr}")
        put(0xC5 + 16 * i, f"PUSH {rr}")
    put(0xC3, "JP a16", 3)
    put(0xC9, "RET")
    put(0xD9, "RETI")
    put(0xCD, "CALL a16", 3)
    put(0xE0, "LDH (a8),A", 2)
    put(0xF0, "LDH A,(a8)", 2)
    put(0xE2, "LD (C),A")
    put(0xF2, "LD A,(C)")
    put(0xE8, "ADD SP,e", 2, "addsp", "e")
    put(0xF8, "LD HL,SP+e", 2, "addsp", "e")
    put(0xE9, "JP HL")
    put(0xF9, "LD SP,HL")
    put(0xEA, "LD (a16),A", 3)
    put(0xFA, "LD A,(a16)", 3)
    put(0xF3, "DI")
    put(0xFB, "EI")
    return ops


def _cb_ops() -> dict:
    ops = {}
    for n in range(256):
        reg, group, y = R8[n & 7], n >> 6, (n >> 3) & 7
        if group == 0:
            name, kind = f"{CB_SHIFTS[y]} {reg}", CB_SHIFTS[y].lower()
        else:
            name, kind = f"{('BIT', 'RES', 'SET')[group - 1]} {y},{reg}", ("bit", "plain", "plain")[group - 1]
        ops[0x100 + n] = Op(0x100 + n, name, 2, kind, reg, y)
    return ops


MAIN = _main_ops()
CB = _cb_ops()
OPS = {**MAIN, **CB}
# every opcode the reference can execute: 244 one-byte ones (CB is a prefix) and 256 CB ones
assert sorted(MAIN) == [c for c in range(256) if c not in ILLEGAL and c != 0xCB]


# --- the decision model ----------------------------------------------------------------
def _bits(*flags) -> np.ndarray:
    """Decision code: the flags' values as bits, first flag highest."""
    code = np.zeros(np.broadcast(*flags).shape, np.int64)
    for f in flags:
        code = code << 1 | np.asarray(f, np.int64)
    return code


DAA_ADJUST = (0x00, 0x06, 0x60, 0x66)


def decide(kind: str, x: dict) -> np.ndarray:
    """Decision codes for inputs ``x`` (arrays): see ``describe`` for what a code means."""
    a, b, c = x.get("a"), x.get("b"), x.get("c")
    if kind in ("add", "adc"):
        cin = c if kind == "adc" else 0
        t = a + b + cin
        return _bits((t & 0xFF) == 0, (a & 15) + (b & 15) + cin > 15, t > 0xFF)
    if kind in ("sub", "sbc", "cp"):
        cin = c if kind == "sbc" else 0
        t = a - b - cin
        return _bits((t & 0xFF) == 0, (a & 15) - (b & 15) - cin < 0, t < 0)
    if kind in ("and", "xor", "or"):
        t = {"and": a & b, "xor": a ^ b, "or": a | b}[kind]
        return _bits(t == 0)
    if kind == "inc":
        return _bits(((a + 1) & 0xFF) == 0, (a & 15) == 15)
    if kind == "dec":
        return _bits(((a - 1) & 0xFF) == 0, (a & 15) == 0)
    if kind in ("rlca", "rla"):
        return _bits(a >> 7)
    if kind in ("rrca", "rra"):
        return _bits(a & 1)
    if kind == "ccf":
        return _bits(1 - c)
    if kind in ("rlc", "rrc", "rl", "rr", "sla", "sra", "srl", "swap"):
        t, out = {"rlc": ((a << 1 | a >> 7) & 0xFF, a >> 7), "rrc": ((a >> 1 | a << 7) & 0xFF, a & 1),
                  "rl": ((a << 1 | c) & 0xFF, a >> 7), "rr": ((a >> 1 | c << 7) & 0xFF, a & 1),
                  "sla": ((a << 1) & 0xFF, a >> 7), "sra": ((a >> 1) | (a & 0x80), a & 1),
                  "srl": (a >> 1, a & 1), "swap": ((a << 4 | a >> 4) & 0xFF, 0)}[kind]
        return _bits(t == 0) if kind == "swap" else _bits(t == 0, out)
    if kind == "bit":
        return _bits(((a >> x["n"]) & 1) == 0)
    if kind == "daa":
        n, h = x["n"], x["h"]
        lo = (h == 1) | ((n == 0) & ((a & 15) > 9))
        hi = (c == 1) | ((n == 0) & (a > 0x99))
        adj = np.where(lo, 6, 0) + np.where(hi, 0x60, 0)
        t = np.where(n == 1, a - adj, a + adj)
        return n << 3 | (lo.astype(np.int64) | hi.astype(np.int64) << 1) << 1 | ((t & 0xFF) == 0)
    if kind == "add16":
        return _bits((x["hl"] & 0xFFF) + (x["rr"] & 0xFFF) > 0xFFF, x["hl"] + x["rr"] > 0xFFFF)
    if kind == "addsp":
        return _bits((x["sp"] & 15) + (x["e"] & 15) > 15, (x["sp"] & 0xFF) + x["e"] > 0xFF)
    if kind == "cond":
        return np.asarray(x["taken"], np.int64)
    raise KeyError(f"no decision model for kind {kind!r}")


def describe(kind: str, code: int) -> str:
    """A decision code as the key's suffix: "Z=0,H=1,C=0", "taken", "N=0,adj=66,Z=1"."""
    code = int(code)
    if kind == "cond":
        return "taken" if code else "not taken"
    if kind == "daa":
        return f"N={code >> 3},adj={DAA_ADJUST[(code >> 1) & 3]:02X},Z={code & 1}"
    flags = FLAGS[kind]
    return ",".join(f"{f}={code >> (len(flags) - 1 - i) & 1}" for i, f in enumerate(flags))


def _grid(*ranges) -> list:
    return [g.ravel() for g in np.meshgrid(*[np.asarray(r, np.int64) for r in ranges], indexing="ij")]


@lru_cache(maxsize=None)
def _words() -> np.ndarray:
    """16-bit values: every power of two, its neighbours, nibble and byte boundaries, and a
    fixed random sample (enough for every ADD HL / carry outcome and many boundary cases)."""
    special = {0, 0xFFFF}
    for k in range(16):
        special |= {(1 << k) - 1, 1 << k, ((1 << k) + 1) & 0xFFFF}
    special |= {0x0FFF, 0x1000, 0x0FFE, 0x7FFF, 0x8000, 0xF000, 0xFF00, 0x00FF, 0x0F0F, 0xF0F0}
    rng = np.random.default_rng(0x5EED)
    return np.unique(np.concatenate([np.fromiter(special, np.int64), rng.integers(0, 0x10000, 192)]))


@lru_cache(maxsize=None)
def domain(kind: str, operand: str = "") -> dict:
    """Every input of the kind's decision (16-bit ones: a boundary-rich sample), as arrays."""
    r8 = range(256)
    if kind in ALU_KINDS:
        if operand == "A":  # A op A: the operand is A
            a, c = _grid(r8, (0, 1))
            return {"a": a, "b": a, "c": c}
        a, b, c = _grid(r8, r8, (0, 1))
        return {"a": a, "b": b, "c": c}
    if kind in ("inc", "dec", "rlca", "rrca", "rla", "rra", "rlc", "rrc", "rl", "rr", "sla", "sra", "srl",
                "swap", "bit"):
        a, c = _grid(r8, (0, 1))
        return {"a": a, "c": c}
    if kind == "daa":
        a, n, h, c = _grid(r8, (0, 1), (0, 1), (0, 1))
        return {"a": a, "n": n, "h": h, "c": c}
    if kind == "ccf":
        return {"c": np.array([0, 1], np.int64)}
    if kind == "cond":
        return {"taken": np.array([0, 1], np.int64)}
    if kind == "add16":
        if operand == "HL":
            hl = np.arange(0x10000, dtype=np.int64)
            return {"hl": hl, "rr": hl}
        w = _words()
        hl, rr = _grid(w, w)
        return {"hl": hl, "rr": rr}
    if kind == "addsp":
        sp, e = _grid(r8, r8)
        return {"sp": sp, "e": e}
    raise KeyError(f"no input domain for kind {kind!r}")


WIDTH = {"a": 256, "b": 256, "c": 2, "n": 2, "h": 2, "sp": 256, "e": 256, "hl": 0x10000, "rr": 0x10000,
         "taken": 2}


def decide_op(op: Op, x: dict) -> np.ndarray:
    return decide(op.kind, {**x, "n": x.get("n", op.bit)} if op.kind == "bit" else x)


@lru_cache(maxsize=None)
def table(code: int) -> tuple:
    """(inputs, decision codes, boundary mask) over the opcode's domain; boundary: some input
    one step away (an operand +-1, a flag toggled) takes another decision."""
    op = OPS[code]
    x = domain(op.kind, op.operand)
    codes = decide_op(op, x)
    boundary = np.zeros(len(codes), bool)
    # A op A and ADD HL,HL: the operand is tied to the other input and moves with it
    tied = {"b": "a", "rr": "hl"}
    for name, width in WIDTH.items():
        if name not in x or name == "taken" or (name in tied and x[name] is x[tied[name]]):
            continue
        for step in (1, -1) if width > 2 else (1,):
            moved = dict(x)
            moved[name] = (x[name] + step) % width
            for t, src in tied.items():
                if src == name and x.get(t) is x[src]:
                    moved[t] = moved[name]
            boundary |= decide_op(op, moved) != codes
    return x, codes, boundary


@lru_cache(maxsize=None)
def decisions(code: int) -> list[int]:
    """The decision codes an opcode reaches (empty: it takes no decision)."""
    op = OPS[code]
    if op.kind == "plain":
        return []
    return sorted(set(np.unique(decide_op(op, domain(op.kind, op.operand))).tolist()))


def op_keys(code: int) -> list[str]:
    op = OPS[code]
    found = decisions(code)
    return [f"{op.name}:{describe(op.kind, d)}" for d in found] if found else [op.name]


@lru_cache(maxsize=None)
def all_keys() -> tuple:
    return tuple(k for code in OPS for k in op_keys(code)) + SPECIAL_KEYS


def keys(variant: str):
    """The coverage universe of a variant: opcode x decision for single-instruction variants."""
    return all_keys() if variant in INSTRUCTION_VARIANTS else None


# --- what a reference transition covered ---------------------------------------------------
@lru_cache(maxsize=None)
def _rom(variant: str) -> bytes:
    from reference_envs.gameboy import build
    from suites.gameboy import VARIANTS
    return build.rom_path(VARIANTS[variant]["rom"]).read_bytes()


def read(state: dict, addr: int, variant: str) -> int | None:
    """The byte the CPU fetches at ``addr`` in a canonical state (None: an I/O register)."""
    addr &= 0xFFFF
    if addr < 0x8000:
        if int(state["boot_rom"]) and addr < 0x100:
            from reference_envs.gameboy import build
            return build.rom_path(build.BOOT).read_bytes()[addr]
        rom = _rom(variant)
        bank = 0 if addr < 0x4000 else max(1, int(state["rom_bank"]))
        return rom[(bank * 0x4000 + (addr & 0x3FFF)) % len(rom)]
    if addr < 0xA000:
        return int(state["vram"][addr - 0x8000])
    if addr < 0xC000:
        return int(state["cart_ram"][(int(state["ram_bank"]) * 0x2000 + addr - 0xA000) % 0x8000])
    if addr < 0xFE00:
        return int(state["wram"][(addr - 0xC000) & 0x1FFF])
    if addr < 0xFEA0:
        return int(state["oam"][addr - 0xFE00])
    if addr < 0xFF00:
        return int(state["unusable"][addr - 0xFEA0])
    if 0xFF80 <= addr < 0xFFFF:
        return int(state["hram"][addr - 0xFF80])
    return None


def opcode_at_pc(state: dict, variant: str) -> int | None:
    pc = int(state["pc"])
    op = read(state, pc, variant)
    if op == 0xCB:
        nxt = read(state, pc + 1, variant)
        return None if nxt is None else 0x100 + nxt
    return op


def _flag(f: int, name: str) -> int:
    return int(f) >> {"Z": 7, "N": 6, "H": 5, "C": 4}[name] & 1


def _cond(f: int, cc: str) -> bool:
    return {"NZ": not _flag(f, "Z"), "Z": bool(_flag(f, "Z")), "NC": not _flag(f, "C"), "C": bool(_flag(f, "C"))}[cc]


def hit(before, action, outputs, after, variant) -> tuple:
    """The key of one reference transition of a single-instruction variant (none elsewhere)."""
    if variant not in INSTRUCTION_VARIANTS:
        return ()
    pending = int(before["if_"]) & int(before["ie"]) & 0x1F
    checked = not int(before["int_queued"]) and not int(before["ime_delay"])
    if checked and pending and int(before["ime"]):
        return (f"IRQ:{IRQ_VECTORS[(pending & -pending).bit_length() - 1]:02X}",)
    if int(before["halted"]):
        return ("halted:wake" if checked and pending else "halted:stay",)
    code = opcode_at_pc(before, variant)
    op = OPS.get(code) if code is not None else None
    if op is None:
        return (f"opcode {code:02X}" if code is not None else "fetch from I/O",)
    if op.kind == "plain":
        return (op.name,)
    f0, f1 = int(before["f"]), int(after["f"])
    if op.kind == "cond":
        return (f"{op.name}:{'taken' if _cond(f0, op.operand) else 'not taken'}",)
    if op.kind == "daa":
        n = _flag(f0, "N")
        delta = (int(after["a"]) - int(before["a"])) & 0xFF
        adj = (-delta) & 0xFF if n else delta
        return (f"{op.name}:N={n},adj={adj:02X},Z={_flag(f1, 'Z')}",)
    return (f"{op.name}:{','.join(f'{f}={_flag(f1, f)}' for f in FLAGS[op.kind])}",)

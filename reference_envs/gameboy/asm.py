"""A small two-pass SM83 (Game Boy CPU) assembler, so the ROM corpus builds from source
with nothing but Python.

Syntax (a subset of RGBDS's):

    CONST equ $FF40            ; or:  def CONST = expr
    org $150                   ; set the output address
    label:  ld a, [hl+]        ; [..] and (..) both mean memory; hl+/hli, hl-/hld
    .local: jr nz, .local      ; .names are scoped to the last global label
            ldh [rLY], a        ; ldh takes $FFxx or $xx; ld [c], a / ldh a, [c]
            db 1, "text", 0     ; dw, ds N[, fill]
            include "hardware.inc"
            assert expr, "message"

Numbers: 123, $7F, 0x7F, %1010, 'A'. Operators: + - * / % & | ^ << >> ~ ( ),
HIGH(x), LOW(x). Everything is case-insensitive except label names.

`assemble(path)` returns an :class:`Image`: the bytes, the symbol table and a
listing (address, bytes, source line) used for instruction-level traces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

R8 = {"b": 0, "c": 1, "d": 2, "e": 3, "h": 4, "l": 5, "[hl]": 6, "a": 7}
R16 = {"bc": 0, "de": 1, "hl": 2, "sp": 3}
R16STK = {"bc": 0, "de": 1, "hl": 2, "af": 3}
R16MEM = {"[bc]": 0, "[de]": 1, "[hl+]": 2, "[hli]": 2, "[hl-]": 3, "[hld]": 3}
COND = {"nz": 0, "z": 1, "nc": 2, "c": 3}
ALU = {"add": 0, "adc": 1, "sub": 2, "sbc": 3, "and": 4, "xor": 5, "or": 6, "cp": 7}
CB_SHIFT = {"rlc": 0, "rrc": 1, "rl": 2, "rr": 3, "sla": 4, "sra": 5, "swap": 6, "srl": 7}
CB_BIT = {"bit": 1, "res": 2, "set": 3}
SIMPLE = {"nop": 0x00, "rlca": 0x07, "rrca": 0x0F, "rla": 0x17, "rra": 0x1F, "daa": 0x27,
          "cpl": 0x2F, "scf": 0x37, "ccf": 0x3F, "halt": 0x76, "di": 0xF3, "ei": 0xFB,
          "reti": 0xD9}


class AsmError(Exception):
    """A source line that cannot be assembled; the message names file, line and problem."""


@dataclass
class Line:
    addr: int
    data: bytes
    source: str
    file: str
    lineno: int
    is_code: bool


@dataclass
class Image:
    data: bytearray
    symbols: dict
    listing: list = field(default_factory=list)

    def code_addresses(self) -> list[int]:
        """Start address of every assembled instruction (for hooks and traces)."""
        return [ln.addr for ln in self.listing if ln.is_code]


# --- expressions ----------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(\$[0-9a-fA-F]+|0x[0-9a-fA-F]+|%[01]+|\d+|'.')|"
                    r"([A-Za-z_.][\w.]*)|(<<|>>|[-+*/%&|^~()]))")


def _evaluate(text: str, lookup) -> int:
    """Evaluate an expression; ``lookup(name)`` gives a symbol's value or raises KeyError."""
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise AsmError(f"cannot parse expression {text!r} at {text[pos:]!r}")
        num, name, op = m.groups()
        if num:
            if num.startswith("$"):
                out.append(str(int(num[1:], 16)))
            elif num.startswith("%"):
                out.append(str(int(num[1:], 2)))
            elif num.startswith("'"):
                out.append(str(ord(num[1])))
            else:
                out.append(str(int(num, 0)))
        elif name:
            low = name.lower()
            if low in ("high", "low"):
                out.append(f"_{low}")
            else:
                out.append(str(lookup(name)))
        else:
            out.append({"/": "//"}.get(op, op))
        pos = m.end()
    expr = " ".join(out)
    try:
        return int(eval(expr, {"__builtins__": {}}, {"_high": lambda v: (v >> 8) & 0xFF,
                                                     "_low": lambda v: v & 0xFF}))
    except Exception as e:  # noqa: BLE001 - any failure is a bad expression
        raise AsmError(f"bad expression {text!r}: {e}") from None


def _split_operands(text: str) -> list[str]:
    parts, depth, cur, quote = [], 0, "", False
    for ch in text:
        if ch == '"':
            quote = not quote
        if not quote and ch in "([":
            depth += 1
        elif not quote and ch in ")]":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _strip_comment(line: str) -> str:
    quote = False
    for i, ch in enumerate(line):
        if ch == '"':
            quote = not quote
        elif ch == ";" and not quote:
            return line[:i]
    return line


def _norm(op: str) -> str:
    """Canonical operand spelling: memory in [..], lower case, no spaces."""
    o = op.strip()
    if o.startswith("(") and o.endswith(")") and _balanced(o[1:-1]):
        o = "[" + o[1:-1] + "]"
    low = o.lower().replace(" ", "")
    if low in ("[hl]", "[bc]", "[de]", "[hl+]", "[hli]", "[hl-]", "[hld]", "[c]", "[$ff00+c]",
               "[0xff00+c]") or low in R8 or low in R16 or low in R16STK or low in COND:
        return "[c]" if low in ("[$ff00+c]", "[0xff00+c]") else low
    return o


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


class Assembler:
    def __init__(self, include_dirs=()):
        self.include_dirs = [Path(d) for d in include_dirs]

    def assemble(self, path) -> Image:
        path = Path(path)
        self.symbols: dict[str, int] = {}
        lines = list(self._read(path, []))
        self._pass(lines, final=False)
        return self._pass(lines, final=True)

    # -- source reading ------------------------------------------------------
    def _read(self, path: Path, stack):
        if path in stack:
            raise AsmError(f"{path}: recursive include")
        try:
            text = path.read_text()
        except OSError as e:
            raise AsmError(f"cannot read {path}: {e}") from None
        for n, raw in enumerate(text.splitlines(), 1):
            body = _strip_comment(raw).strip()
            m = re.match(r'include\s+"([^"]+)"\s*$', body, re.I)
            if m:
                target = self._find(path.parent, m.group(1), f"{path}:{n}")
                yield from self._read(target, stack + [path])
            elif body:
                yield (str(path), n, body)

    def _find(self, here: Path, name: str, where: str) -> Path:
        for d in [here, *self.include_dirs]:
            if (d / name).is_file():
                return d / name
        raise AsmError(f"{where}: include file {name!r} not found")

    # -- one pass ------------------------------------------------------------
    def _pass(self, lines, final: bool) -> Image:
        self.final = final
        self.pc = 0
        self.scope = ""
        data = bytearray()
        listing = []
        for file, n, body in lines:
            self.where = f"{file}:{n}"
            try:
                emitted, is_code = self._line(body)
            except AsmError as e:
                raise AsmError(f"{self.where}: {e}  [{body}]") from None
            if emitted:
                end = self.pc + len(emitted)
                if end > 0x10000 * 64:
                    raise AsmError(f"{self.where}: output past 4 MiB")
                if len(data) < end:
                    data.extend(b"\x00" * (end - len(data)))
                data[self.pc:end] = emitted
                listing.append(Line(self.pc, bytes(emitted), body, file, n, is_code))
                self.pc = end
        return Image(data, dict(self.symbols), listing)

    def _value(self, text: str, bits: int = 16, signed_ok: bool = True) -> int:
        def lookup(name):
            full = self.scope + name if name.startswith(".") else name
            if full in self.symbols:
                return self.symbols[full]
            if not self.final:
                return 0
            raise AsmError(f"undefined symbol {full!r}")
        v = _evaluate(text, lookup)
        lo = -(1 << (bits - 1)) if signed_ok else 0
        if self.final and not lo <= v < (1 << bits):
            raise AsmError(f"value {v} of {text!r} does not fit in {bits} bits")
        return v & ((1 << bits) - 1)

    def _define(self, name: str, value: int):
        full = self.scope + name if name.startswith(".") else name
        if not self.final and full in self.symbols:
            raise AsmError(f"symbol {full!r} defined twice")
        self.symbols[full] = value

    def _line(self, body: str):
        m = re.match(r"([A-Za-z_.][\w.]*):{1,2}\s*(.*)$", body)
        if m:
            name = m.group(1)
            if not name.startswith("."):
                self.scope = name
            self._define(name, self.pc)
            body = m.group(2).strip()
            if not body:
                return b"", False
        m = re.match(r"(?:def\s+)?([A-Za-z_][\w]*)\s+(?:equ\b|=)\s*(.+)$", body, re.I)
        if m:
            self.symbols[m.group(1)] = _evaluate(m.group(2), lambda k: self._lookup_final(k))
            return b"", False
        word, _, rest = body.partition(" ")
        word, rest = word.lower(), rest.strip()
        if word == "org":
            self.pc = self._value(rest, 24, False)
            return b"", False
        if word == "assert":
            args = _split_operands(rest)
            if self.final and not self._value(args[0], 32):
                raise AsmError(f"assertion failed: {args[1] if len(args) > 1 else args[0]}")
            return b"", False
        if word == "db":
            out = bytearray()
            for a in _split_operands(rest):
                if a.startswith('"'):
                    out += a.strip('"').encode("ascii")
                else:
                    out.append(self._value(a, 8))
            return bytes(out), False
        if word == "dw":
            out = bytearray()
            for a in _split_operands(rest):
                out += self._value(a, 16).to_bytes(2, "little")
            return bytes(out), False
        if word == "ds":
            args = _split_operands(rest)
            fill = self._value(args[1], 8) if len(args) > 1 else 0
            return bytes([fill]) * self._value(args[0], 16, False), False
        return self._instruction(word, [_norm(o) for o in _split_operands(rest)]), True

    def _lookup_final(self, name):
        if name in self.symbols:
            return self.symbols[name]
        raise AsmError(f"constant uses undefined symbol {name!r} (define it before use)")

    # -- instructions ----------------------------------------------------------
    def _instruction(self, mn: str, ops: list[str]) -> bytes:
        n = len(ops)
        o = [x.lower() for x in ops]

        def mem(x):  # "[expr]" -> "expr" for an address operand, else None
            return x[1:-1] if x.startswith("[") and x.endswith("]") and x.lower() not in (
                "[hl]", "[bc]", "[de]", "[c]") and x.lower() not in R16MEM else None

        def imm8(x):
            return self._value(x, 8)

        def imm16(x):
            return self._value(x, 16).to_bytes(2, "little")

        if mn in SIMPLE and n == 0:
            return bytes([SIMPLE[mn]])
        if mn == "stop":
            return bytes([0x10, imm8(ops[0]) if n else 0])
        if mn == "ld":
            if n != 2:
                raise AsmError("ld takes two operands")
            d, s = o
            if d in R8 and s in R8:
                if d == s == "[hl]":
                    raise AsmError("ld [hl],[hl] does not exist (that encoding is halt)")
                return bytes([0x40 | R8[d] << 3 | R8[s]])
            if d in R8 and s not in R16MEM and mem(ops[1]) is None and s not in ("[c]",):
                return bytes([0x06 | R8[d] << 3, imm8(ops[1])])
            if d in R16 and s not in R16 and not s.startswith("sp+") and mem(ops[1]) is None:
                return bytes([0x01 | R16[d] << 4]) + imm16(ops[1])
            if d in R16MEM and s == "a":
                return bytes([0x02 | R16MEM[d] << 4])
            if d == "a" and s in R16MEM:
                return bytes([0x0A | R16MEM[s] << 4])
            if d == "[c]" and s == "a":
                return b"\xE2"
            if d == "a" and s == "[c]":
                return b"\xF2"
            if d == "sp" and s == "hl":
                return b"\xF9"
            if d == "hl" and s.startswith("sp+") or d == "hl" and s.startswith("sp-"):
                return bytes([0xF8, imm8(ops[1][2:].replace(" ", "").lstrip("+"))])
            if mem(ops[0]) is not None and s == "sp":
                return b"\x08" + imm16(mem(ops[0]))
            if mem(ops[0]) is not None and s == "a":
                return b"\xEA" + imm16(mem(ops[0]))
            if d == "a" and mem(ops[1]) is not None:
                return b"\xFA" + imm16(mem(ops[1]))
            raise AsmError(f"no ld form for {ops}")
        if mn == "ldh":
            if n == 2 and o[1] == "a" and (o[0] == "[c]" or mem(ops[0]) is not None):
                return b"\xE2" if o[0] == "[c]" else bytes([0xE0, self._hram(mem(ops[0]))])
            if n == 2 and o[0] == "a" and (o[1] == "[c]" or mem(ops[1]) is not None):
                return b"\xF2" if o[1] == "[c]" else bytes([0xF0, self._hram(mem(ops[1]))])
            raise AsmError(f"no ldh form for {ops}")
        if mn in ("inc", "dec") and n == 1:
            if o[0] in R8:
                return bytes([(0x04 if mn == "inc" else 0x05) | R8[o[0]] << 3])
            if o[0] in R16:
                return bytes([(0x03 if mn == "inc" else 0x0B) | R16[o[0]] << 4])
        if mn == "add" and n == 2 and o[0] == "hl" and o[1] in R16:
            return bytes([0x09 | R16[o[1]] << 4])
        if mn == "add" and n == 2 and o[0] == "sp":
            return bytes([0xE8, imm8(ops[1])])
        if mn in ALU:
            src = ops[1] if n == 2 and o[0] == "a" else ops[0] if n == 1 else None
            if src is None:
                raise AsmError(f"{mn} takes 'a, x' or 'x'")
            if src.lower() in R8:
                return bytes([0x80 | ALU[mn] << 3 | R8[src.lower()]])
            return bytes([0xC6 | ALU[mn] << 3, imm8(src)])
        if mn in CB_SHIFT and n == 1 and o[0] in R8:
            return bytes([0xCB, CB_SHIFT[mn] << 3 | R8[o[0]]])
        if mn in CB_BIT and n == 2 and o[1] in R8:
            bit = self._value(ops[0], 8, False)
            if bit > 7:
                raise AsmError(f"bit number {bit} is not 0..7")
            return bytes([0xCB, CB_BIT[mn] << 6 | bit << 3 | R8[o[1]]])
        if mn == "jr":
            cond, target = (o[0], ops[1]) if n == 2 else (None, ops[0])
            off = self._value(target, 24, False) - (self.pc + 2) if self.final else 0
            if not -128 <= off <= 127:
                raise AsmError(f"jr target {target} is {off} bytes away (max -128..127)")
            op = 0x18 if cond is None else 0x20 | COND[cond] << 3
            return bytes([op, off & 0xFF])
        if mn == "jp":
            if n == 1 and o[0] in ("hl", "[hl]"):
                return b"\xE9"
            if n == 1:
                return b"\xC3" + imm16(ops[0])
            return bytes([0xC2 | COND[o[0]] << 3]) + imm16(ops[1])
        if mn == "call":
            if n == 1:
                return b"\xCD" + imm16(ops[0])
            return bytes([0xC4 | COND[o[0]] << 3]) + imm16(ops[1])
        if mn == "ret":
            return b"\xC9" if n == 0 else bytes([0xC0 | COND[o[0]] << 3])
        if mn == "rst":
            v = self._value(ops[0], 8, False)
            if v & ~0x38:
                raise AsmError(f"rst target {v:#x} must be one of $00,$08,...,$38")
            return bytes([0xC7 | v])
        if mn in ("push", "pop") and n == 1 and o[0] in R16STK:
            return bytes([(0xC5 if mn == "push" else 0xC1) | R16STK[o[0]] << 4])
        raise AsmError(f"unknown instruction or operands: {mn} {', '.join(ops)}")

    def _hram(self, text: str) -> int:
        v = self._value(text, 16, False)
        if v >= 0xFF00:
            v -= 0xFF00
        if self.final and v > 0xFF:
            raise AsmError(f"ldh address {text} is not in $FF00-$FFFF")
        return v & 0xFF


def assemble(path, include_dirs=()) -> Image:
    return Assembler(include_dirs).assemble(path)

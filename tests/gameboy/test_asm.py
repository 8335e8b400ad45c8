"""The SM83 assembler against the opcode table shipped with the reference (PyBoy's mnemonics)."""
import re

import pytest

from reference_envs.gameboy.asm import AsmError, assemble
from reference_envs.gameboy.build import ILLEGAL, opcode_length


def _ours(mnemonic: str) -> str:
    """PyBoy's mnemonic spelling -> our assembler's syntax, with fixed operand values."""
    m = mnemonic.replace("(a8)", "[$FF80]").replace("(a16)", "[$C123]")
    m = re.sub(r"\b(d16|a16)\b", "$1234", m)
    m = re.sub(r"\b(d8|r8)\b", "5", m)
    m = re.sub(r"RST (\w\w)H", r"RST $\1", m)
    m = m.replace("STOP 0", "STOP").replace("JP (HL)", "JP HL")
    return m.replace("(", "[").replace(")", "]")


def _one(tmp_path, line: str) -> bytes:
    src = tmp_path / "t.asm"
    src.write_text(f"        {line}\n")
    return bytes(assemble(src).data)


def test_every_opcode_encodes_as_pyboy_names_it(tmp_path):
    from pyboy.core.opcodes import CPU_COMMANDS
    for op in range(0x200):
        if op < 0x100 and (op in ILLEGAL or op == 0xCB):
            continue
        line = _ours(CPU_COMMANDS[op])
        got = _one(tmp_path, line)
        want = bytes([op]) if op < 0x100 else bytes([0xCB, op - 0x100])
        assert got[:len(want)] == want, f"{CPU_COMMANDS[op]!r} -> {line!r} assembled to {got.hex()}"
        if op < 0x100:
            assert len(got) == opcode_length(op), f"{line!r} is {len(got)} bytes"


def test_labels_locals_expressions_and_directives(tmp_path):
    (tmp_path / "inc.inc").write_text("K equ $10\n")
    src = tmp_path / "a.asm"
    src.write_text('include "inc.inc"\n org $100\nmain: ld a, HIGH(data) + K * 2\n'
                   '.l: jr nz, .l\n jp main\ndata: db "AB", 1\n dw data\n ds 2, $FF\n')
    data = bytes(assemble(src).data)[0x100:]
    assert data.hex() == "3e21" + "20fe" + "c30001" + "414201" + "0701" + "ffff"


@pytest.mark.parametrize("line,problem", [("ld [hl], [hl]", "halt"), ("jr far", "undefined"),
                                          ("bogus a", "unknown instruction"), ("rst $39", "rst target")])
def test_bad_source_is_named(tmp_path, line, problem):
    src = tmp_path / "bad.asm"
    src.write_text("        org $0\nnear: nop\n" + f"        {line}\n")
    with pytest.raises(AsmError, match=problem):
        assemble(src)

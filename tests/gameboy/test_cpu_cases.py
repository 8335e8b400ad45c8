"""The cpu_instruction property can reach every legal opcode; only PyBoy's illegal ones are left out."""
import re

import yaml

from suites.gameboy import SUITE
from suites.gameboy.cases import ILLEGAL, LEGAL


def test_every_legal_opcode_is_generated_and_only_illegal_ones_are_left_out():
    assert sorted(set(LEGAL) | ILLEGAL) == list(range(256)) and not set(LEGAL) & ILLEGAL
    assert len(LEGAL) == 245 and 0xCB in LEGAL and 0x76 in LEGAL and 0x10 in LEGAL
    # CB-prefixed opcodes: the byte after 0xCB is any of 0..255 (cases.py draws it freely)
    ledger = yaml.safe_load((SUITE.root / "ledger.yaml").read_text())
    entry = next(e for e in ledger if e["id"] == "illegal-opcodes-not-generated")
    listed = {int(x, 16) for x in re.findall(r"\b([0-9A-F]{2})\b", entry["reason"].split(":")[0])}
    assert listed == set(ILLEGAL), "ledger.yaml must list exactly the opcodes cases.py leaves out"

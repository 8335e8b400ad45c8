"""The cpu variant's L1 properties give every legal opcode its own case at every tier, every
opcode x decision key a case at standard, and only PyBoy's illegal opcodes are left out."""
import re

import numpy as np
import yaml

from suites.gameboy.state import blank
from suites.gameboy import SUITE, cases, coverage


def test_every_legal_opcode_is_generated_and_only_illegal_ones_are_left_out():
    assert sorted(set(cases.LEGAL) | cases.ILLEGAL) == list(range(256)) and not set(cases.LEGAL) & cases.ILLEGAL
    assert len(cases.LEGAL) == 245 and 0xCB in cases.LEGAL and 0x76 in cases.LEGAL and 0x10 in cases.LEGAL
    ledger = yaml.safe_load((SUITE.root / "ledger.yaml").read_text())
    entry = next(e for e in ledger if e["id"] == "illegal-opcodes-not-generated")
    listed = {int(x, 16) for x in re.findall(r"\b([0-9A-F]{2})\b", entry["reason"].split(":")[0])}
    assert listed == set(cases.ILLEGAL), "ledger.yaml must list exactly the opcodes cases.py leaves out"


def _enumerated_sizes():
    props = {p.name for p in SUITE.properties}
    blocks = cases.opcode_blocks()
    assert {name for name, _ in blocks} <= props
    return blocks


def test_each_opcode_has_its_own_case_at_every_tier():
    blocks = _enumerated_sizes()
    codes = [c for _, block in blocks for c in block]
    assert sorted(codes) == sorted(coverage.OPS) and len(codes) == 500, "244 opcodes + 256 CB opcodes, once each"
    fewest = min(t.l1_examples for t in SUITE.tiers.values())
    # an enumerated property runs every case when the tier allows as many examples as it has cases
    for name, block in blocks:
        assert len(block) <= fewest, f"{name}: {len(block)} cases, but a tier runs only {fewest}"
    for edges in (cases.alu8_edges, cases.misc_edges, cases.timer_edges, cases.interrupt_edges, cases.ppu_edges):
        assert len(edges()) <= fewest, f"{edges.__name__}: more cases than a tier runs"


def test_every_decision_key_has_a_case_at_standard():
    standard = SUITE.tiers["standard"]
    targets = [t for k in range(cases.KEY_BLOCKS) for t in cases.key_block(k)]
    assert all(len(cases.key_block(k)) <= standard.l1_examples for k in range(cases.KEY_BLOCKS))
    labels = {t.label() for t in targets}
    universe = set(coverage.keys("cpu"))
    plain = {coverage.OPS[c].name for c in coverage.OPS if not coverage.decisions(c)}
    assert universe - plain == labels, "decisions[k] must target exactly the keys with a decision"
    assert standard.coverage_min >= 1 and SUITE.coverage is not None


def test_every_named_edge_is_reachable():
    for t in cases.alu8_edges() + cases.misc_edges():
        x = cases._choose_inputs(t.code, None, t.edge, np.random.default_rng(0))
        assert x, t.label()


def _state(pc=0xC100, code=(0x00,), **regs):
    s = blank()
    s["pc"] = np.uint16(pc)
    for k, b in enumerate(code):
        s["wram"][pc - 0xC000 + k] = b
    for k, v in regs.items():
        s[k] = np.asarray(v, s[k].dtype)
    return s


def test_keys_name_the_decisions_a_transition_took():
    before = _state(code=(0x80,), a=0x0F, b=0x01, f=0)
    after = _state(code=(0x80,), a=0x10, f=0x20)
    assert coverage.hit(before, 0, {}, after, "cpu") == ("ADD A,B:Z=0,H=1,C=0",)
    before = _state(code=(0x27,), a=0x9A, f=0x00)  # DAA after an addition: +$66, carry
    after = _state(code=(0x27,), a=0x00, f=0x90)
    assert coverage.hit(before, 0, {}, after, "cpu") == ("DAA:N=0,adj=66,Z=1",)
    before = _state(code=(0x20, 0x05), f=0x80)  # JR NZ with Z set: not taken
    assert coverage.hit(before, 0, {}, before, "cpu") == ("JR NZ,e:not taken",)
    before = _state(code=(0xCB, 0x7C), ime=1, ie=0x05, if_=0x04)  # IME and a pending timer IRQ
    assert coverage.hit(before, 0, {}, before, "cpu") == ("IRQ:50",)
    assert coverage.hit(before, 0, {}, before, "game") == ()
    assert coverage.keys("game") is None and "halted:wake" in coverage.keys("cpu")

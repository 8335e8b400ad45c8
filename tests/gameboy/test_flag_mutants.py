"""The gate catches an EmuRust whose flag decision sits one value off, at the quick tier.

Each mutant (``emurust.MUTANTS``, switched on by ``Emulator.mutate``, test-only) moves one edge:
ADD's half carry decided above 0x10 instead of 0x0F, SUB/CP's borrow also on equal operands,
DAA's +6 correction above low nibble 0xA instead of 9, ADD SP,e's carry above 0x100 instead of
0xFF, INC's half carry from low nibble 0xE. Random operands almost never land on the one value
where these differ; the enumerated L1 edge properties put a case on each side of every edge,
and the ALU sweep ROM's trace (L2) runs every operand.
"""
import pytest

from equiv import register_adapter
from tests.gameboy.gate import detection_only, run_item

MUTANTS = {  # mutant -> (class in broken.py, the L1 property with its edge)
    "add_half_carry_above_0x10": ("AddHalfCarryAbove0x10", "edges_alu8"),
    "sub_borrow_on_equal": ("SubBorrowOnEqual", "edges_alu8"),
    "daa_low_above_0xA": ("DaaLowAbove0xA", "edges_misc"),
    "add_sp_carry_above_0x100": ("AddSpCarryAbove0x100", "edges_misc"),
    "inc_half_carry_from_0xE": ("IncHalfCarryFrom0xE", "edges_alu8"),
}
for _name, (_cls, _) in MUTANTS.items():
    register_adapter(f"emurust_{_name}", f"tests.gameboy.broken:{_cls}")


def test_every_mutant_is_tested_and_bad_names_are_refused():
    import emurust
    assert set(emurust.MUTANTS) == set(MUTANTS)
    emu = emurust.Emulator(_tiny_rom())
    with pytest.raises(ValueError, match='unknown mutant "half".*add_half_carry_above_0x10'):
        emu.mutate("half")
    emu.mutate("none")


def _tiny_rom() -> bytes:
    rom = bytearray(0x8000)
    x = 0
    for v in rom[0x134:0x14D]:
        x = (x - v - 1) & 0xFF
    rom[0x14D] = x
    return bytes(rom)


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_l1_quick_catches_a_one_value_flag_edge(mutant):
    prop = MUTANTS[mutant][1]
    with detection_only():
        r = run_item(f"emurust_{mutant}", "L1", "cpu", prop)
    assert r.outcome == "failed", r.summary
    fields = {m.field for m in r.divergence.mismatches}
    assert "state.f" in fields or "state.a" in fields, fields


@pytest.mark.parametrize("prop", ["edges_alu8", "edges_misc"])
def test_the_unmutated_port_passes_the_same_properties(prop):
    r = run_item("emurust", "L1", "cpu", prop)
    assert r.outcome == "passed", r.message


def test_l2_alu_sweep_catches_a_mutant():
    r = run_item("emurust_add_half_carry_above_0x10", "L2", "alu_sweep", "alu_sweep_run")
    assert r.outcome == "failed", r.summary
    # the ADD sweep starts in the frames a reset runs after power-on: the running checksum in
    # WRAM already differs when the trace starts
    assert "state.wram" in {m.field for m in r.divergence.mismatches}, r.summary

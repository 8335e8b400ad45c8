"""Deliberately broken "ports", to show every layer catches a bad port: PyBoy with one fault
each, and EmuRust with one flag decision moved by a single value."""
from adapters.emurust import EmuRust
from adapters.pyboy import PyBoyAdapter


class HalfCarryLost(PyBoyAdapter):
    """Reports the H flag always clear (an ALU bug)."""
    role = "ported"

    def get_state(self):
        s = super().get_state()
        s["f"] = s["f"] & 0xD0
        return s


class IgnoresButtonA(PyBoyAdapter):
    """Drops the A button (a joypad bug)."""
    role = "ported"

    def _run_frames(self, mask, n):
        super()._run_frames(mask & ~0x10, n)


class EmuRustMutant(EmuRust):
    """EmuRust with one flag edge moved by one value (``emurust.Emulator.mutate``, test-only)."""
    role = "ported"
    mutant = "none"

    def _power_on(self):
        super()._power_on()
        self.emu.mutate(self.mutant)


class AddHalfCarryAbove0x10(EmuRustMutant):
    mutant = "add_half_carry_above_0x10"


class SubBorrowOnEqual(EmuRustMutant):
    mutant = "sub_borrow_on_equal"


class DaaLowAbove0xA(EmuRustMutant):
    mutant = "daa_low_above_0xA"


class AddSpCarryAbove0x100(EmuRustMutant):
    mutant = "add_sp_carry_above_0x100"


class IncHalfCarryFrom0xE(EmuRustMutant):
    mutant = "inc_half_carry_from_0xE"

"""Deliberately broken "ports" (PyBoy with one fault each), to show every layer catches a bad port."""
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

"""Each layer of the gameboy suite catches a deliberately broken port (PyBoy with one fault)."""
from equiv import register_adapter
from tests.gameboy.gate import detection_only, run_item

register_adapter("pyboy_h_flag_lost", "tests.gameboy.broken:HalfCarryLost")
register_adapter("pyboy_no_button_a", "tests.gameboy.broken:IgnoresButtonA")


def test_l1_cpu_property_catches_a_flag_bug():
    with detection_only():
        r = run_item("pyboy_h_flag_lost", "L1", "cpu", "cpu_instruction")
    assert r.outcome == "failed", r.summary
    assert "state.f" in r.summary


def test_l2_trace_catches_a_joypad_bug():
    r = run_item("pyboy_no_button_a", "L2", "ppu_scroll", "ppu_scroll_dpad")
    assert r.outcome == "failed", r.summary


def test_l3_lockstep_catches_a_joypad_bug():
    r = run_item("pyboy_no_button_a", "L3", "game", "lockstep")
    assert r.outcome == "failed", r.summary


def test_pyboy_against_itself_passes_l2():
    r = run_item("pyboy", "L2", "ppu_sprites", "ppu_sprites_run")
    assert r.outcome == "passed", r.message

"""Each layer of the gameboy suite catches a deliberately broken port (PyBoy with one fault)."""
import pytest

from equiv import register_adapter
from equiv._pair import PairRun, RunOptions

register_adapter("pyboy_h_flag_lost", "tests.gameboy.broken:HalfCarryLost")
register_adapter("pyboy_no_button_a", "tests.gameboy.broken:IgnoresButtonA")


def _run(ported, layer, variant, item_filter):
    pair = PairRun("pyboy", ported, RunOptions(tier="quick", layers=(layer,), variants=(variant,),
                                               report_dir=None, policies=("random",)))
    try:
        specs = [s for s in pair.plan() if item_filter in s.id]
        assert specs, [s.id for s in pair.plan()]
        return [pair.run(s) for s in specs[:1]][0]
    finally:
        pair.close()


@pytest.fixture
def no_shrinking():
    """Detection is what is tested here; shrinking a diverging CPU case costs a pure-PyBoy
    transition and a bisection per attempt (about 90 s), so this test skips that phase.
    (Shrinking itself is the framework's and is shown on the gate's own failures.)"""
    from hypothesis import Phase, settings
    previous = settings.default
    settings.register_profile("gameboy-detect", phases=(Phase.explicit, Phase.reuse, Phase.generate))
    settings.load_profile("gameboy-detect")
    yield
    settings.register_profile("gameboy-detect-restore", previous)
    settings.load_profile("gameboy-detect-restore")


def test_l1_cpu_property_catches_a_flag_bug(no_shrinking):
    r = _run("pyboy_h_flag_lost", "L1", "cpu", "cpu_instruction")
    assert r.outcome == "failed", r.summary
    assert "state.f" in r.summary


def test_l2_trace_catches_a_joypad_bug():
    r = _run("pyboy_no_button_a", "L2", "ppu_scroll", "ppu_scroll_dpad")
    assert r.outcome == "failed", r.summary


def test_l3_lockstep_catches_a_joypad_bug():
    r = _run("pyboy_no_button_a", "L3", "game", "lockstep")
    assert r.outcome == "failed", r.summary


def test_pyboy_against_itself_passes_l2():
    r = _run("pyboy", "L2", "ppu_sprites", "ppu_sprites_run")
    assert r.outcome == "passed", r.message

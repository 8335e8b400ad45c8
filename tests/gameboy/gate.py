"""Run one planned gate item of the gameboy pair against a chosen port (for the mutant tests)."""
from contextlib import contextmanager

import equiv


def run_item(ported: str, layer: str, variant: str, item: str, tier: str = "quick"):
    """The result of the planned item of ``layer`` named ``item`` (``lockstep``: under ``random``)."""
    results = equiv.run_items("pyboy", ported, layers=(layer,), variants=variant, only=f"{layer}::{item}",
                              tier=tier, policies=("random",))
    assert len(results) == 1, sorted(results)
    return next(iter(results.values()))


@contextmanager
def detection_only():
    """Detection is what these tests check; shrinking a diverging CPU case costs a pure-PyBoy
    transition and a bisection per attempt (about 90 s), so Hypothesis skips that phase here.
    (Shrinking itself is the framework's and is shown on the gate's own failures.)"""
    from hypothesis import Phase, settings
    previous = settings.default
    settings.register_profile("gameboy-detect", phases=(Phase.explicit, Phase.reuse, Phase.generate))
    settings.load_profile("gameboy-detect")
    try:
        yield
    finally:
        settings.register_profile("gameboy-detect-restore", previous)
        settings.load_profile("gameboy-detect-restore")

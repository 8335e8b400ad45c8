"""Run one planned gate item of the gameboy pair against a chosen port (for the mutant tests)."""
from contextlib import contextmanager

from equiv._pair import PairRun, RunOptions


def run_item(ported: str, layer: str, variant: str, item: str, tier: str = "quick"):
    """The result of the first planned item of ``layer`` whose id contains ``item``."""
    pair = PairRun("pyboy", ported, RunOptions(tier=tier, layers=(layer,), variants=(variant,),
                                               report_dir=None, policies=("random",)))
    try:
        specs = [s for s in pair.plan() if item in s.id]
        assert specs, [s.id for s in pair.plan()]
        return pair.run(specs[0])
    finally:
        pair.close()


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

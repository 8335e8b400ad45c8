"""Deliberately broken ts_showdown variants, registered as adapters for the gate tests."""
from adapters.ts_showdown import TsShowdown
from equiv import register_adapter


class BrokenConversion(TsShowdown):
    """set_state forgets gen-1 modifiedStats (rebuilds them from storedStats): boosts and the
    par/brn stat drops silently vanish on injection, the classic Showdown-injection bug."""
    role = "ported"

    def __init__(self, **config):
        super().__init__(faults=["modified_stats_from_stored"], **config)


def register() -> str:
    register_adapter("ts_showdown_broken_conversion", "tests.pokemon.mutants:BrokenConversion")
    return "ts_showdown_broken_conversion"

"""Deliberately broken copies of the reference, one rule changed in each, posing as ports.

Each mutant is a TcgEngine subclass behind a TcgPython adapter subclass, registered with
equiv so the suite can be run against it (tests/tcg/test_mutants.py). They show the tcg
suite's layers catching a wrong rule, independently of any port.
"""
from __future__ import annotations

import equiv
from adapters.tcg_python import TcgPython
from reference_envs.tcg_python.cards import PARALYZED
from reference_envs.tcg_python.engine import TcgEngine
from reference_envs.tcg_python.mask import legal_mask


class WeaknessPlus10(TcgEngine):
    """Weakness adds 10 instead of 20 (R-3.2 step 3)."""
    weakness_bonus = 10


class ParalysisEndsForBoth(TcgEngine):
    """Every Checkup clears Paralysis on both Actives (the simulator behaviour §8 A13 rejects)."""

    def checkup(self, P):
        super().checkup(P)
        opp = self.g.players[1 - P].active
        if opp.occupied:
            opp.status[PARALYZED] = 0


class TwoSupporters(TcgEngine):
    """The once-per-turn Supporter limit is ignored in the mask (R-2.2.5)."""

    def legal_mask(self):
        played, self.g.supporter_played = self.g.supporter_played, 0
        try:
            return legal_mask(self.g)
        finally:
            self.g.supporter_played = played


class KnockoutsScoreNothing(TcgEngine):
    """Knock-outs give no points (R-3.4 step 2): games end only on the turn limit or an empty board."""

    def resolve_knockouts(self):
        points = [p.points for p in self.g.players]
        super().resolve_knockouts()
        for p, pts in zip(self.g.players, points):
            p.points = pts
        if self.g.result != -1 and all(p.has_pokemon() for p in self.g.players):
            self.g.result = -1          # a points win that no longer happens
            for q in (1 - self.g.turn_player, self.g.turn_player):
                if not self.g.players[q].active.occupied:
                    self.push(1, q, 1)


MUTANTS = {"weakness_plus_10": WeaknessPlus10, "paralysis_ends_for_both": ParalysisEndsForBoth,
           "two_supporters": TwoSupporters, "knockouts_score_nothing": KnockoutsScoreNothing}


def adapter_class(name: str, aligned: bool = True) -> type:
    engine_cls = MUTANTS[name]

    def __init__(self, **config):
        TcgPython.__init__(self, **config)
        self.engine = engine_cls()

    attrs = {"__init__": __init__, "__doc__": engine_cls.__doc__, "__module__": __name__, "role": "ported"}
    if not aligned:      # its own generator and a step we do not vouch for: statistics only
        attrs.update(randomness=None, deterministic_step=False)
    cls = type(f"TcgMutant_{name}{'' if aligned else '_unaligned'}", (TcgPython,), attrs)
    globals()[cls.__name__] = cls
    return cls


def register(name: str, aligned: bool = True) -> str:
    cls = adapter_class(name, aligned)
    adapter = f"tcg_mutant_{name}{'' if aligned else '_unaligned'}"
    equiv.register_adapter(adapter, f"{__name__}:{cls.__name__}")
    return adapter

"""Helpers for the tcgjax tests: a port adapter at a scenario state, the spec's test deck T."""
from __future__ import annotations

import numpy as np

from adapters.tcgjax import TcgJax
from ported_envs.tcgjax.cards import make_deck
from reference_envs.tcg_python.state import to_canonical

# §5.6: the one-Basic test deck T (canonical indices as the spec lists them), Energy W and L
TEST_DECK_T = make_deck("T", "WL", [44, 45, 45, 46, 46, 49, 49, 50, 50, 51, 51, 53, 53, 54, 54, 55, 55, 56, 56, 61])


def port_at(game_state, adapter_cls=TcgJax) -> TcgJax:
    """A tcgjax adapter continuing from a suites.tcg.scenarios state (through the §9.1 canonical form)."""
    ad = adapter_cls()
    ad.set_state(to_canonical(game_state))
    return ad


def state(ad) -> dict:
    return ad.get_state()


def legal(ad) -> list[int]:
    return [int(a) for a in np.flatnonzero(ad.legal_actions())]

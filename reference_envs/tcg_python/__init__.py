"""tcg_python: the Pokémon TCG Pocket reference engine, written from the rules spec
(../shared/references/tcg-pocket-spec.md; decisions where it is silent: suites/tcg/SPEC_NOTES.md).

    from reference_envs.tcg_python import TcgEngine
    e = TcgEngine(); e.reset(12345, "A-Fire", "B-Water")
    while not e.done:
        e.step(next(a for a, ok in enumerate(e.legal_mask()) if ok))
"""
from reference_envs.tcg_python.actions import N_ACTIONS, describe
from reference_envs.tcg_python.cards import CARDS, Deck, load_decks, make_deck
from reference_envs.tcg_python.engine import IllegalActionError, TcgEngine
from reference_envs.tcg_python.observe import OBS_SIZE
from reference_envs.tcg_python.state import StateError

__all__ = ["CARDS", "Deck", "IllegalActionError", "N_ACTIONS", "OBS_SIZE", "StateError", "TcgEngine",
           "describe", "load_decks", "make_deck"]

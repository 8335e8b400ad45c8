"""Adapter for ``tcg_python``, the Pokémon TCG Pocket reference engine written from the
rules spec (reference_envs/tcg_python).

Configuration (a suite variant): ``deck0`` and ``deck1``, names of the sample decks of
spec §7 (suites/tcg/decks.yaml). Seeds are game seeds (spec §5.4).

Outputs of a step (the tcg suite's OUTPUTS): ``obs`` is a dict ``{"view": int32[416],
"actor": int32}``, the §9.5 observation of the player who acts next (player 0's once the
game is over, actor -1); ``reward`` the int32[2] pair of §9.6; ``terminated`` = game over;
never truncated (the 30-turn limit is a draw, a result). ``legal_actions()`` is the §9.4
mask of the actor (72 booleans; all False once over). An illegal action raises
``IllegalActionError`` naming the action and the actor.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from equiv import Adapter, Step

_ENGINE_DIR = Path(__file__).resolve().parent.parent / "reference_envs" / "tcg_python"
_DATA_DIR = Path(__file__).resolve().parent.parent / "suites" / "tcg"


class TcgPython(Adapter):
    family = "tcg"
    role = "reference"
    randomness = "tcg-counter-prng"     # spec §5: the port reproduces this generator exactly
    # A step draws coins from the §5 generator held in the state: pairs need the generator
    # reproduced (randomness), so deterministic_step stays False (it means "draws nothing").
    deterministic_step = False

    def __init__(self, deck0: str = "A-Fire", deck1: str = "B-Water", **config):
        if config:
            raise ValueError(f"tcg_python does not know the settings {sorted(config)}; it takes deck0 and "
                             f"deck1 (sample deck names)")
        super().__init__(deck0=deck0, deck1=deck1)
        from reference_envs.tcg_python import TcgEngine
        from reference_envs.tcg_python.cards import deck_named
        self.decks = (deck_named(deck0), deck_named(deck1))   # ValueError names an unknown deck
        self.engine = TcgEngine()

    def reset(self, seed: int):
        self.engine.reset(int(seed), *self.decks)
        return self._obs()

    def step(self, action) -> Step:
        reward = self.engine.step(action)
        return Step(obs=self._obs(), reward=np.asarray(reward, np.int32), terminated=self.engine.done,
                    truncated=False)

    def _obs(self) -> dict:
        actor = self.engine.actor
        view = self.engine.observe(actor if actor >= 0 else 0)
        return {"view": np.asarray(view, np.int32), "actor": np.int32(actor)}

    def legal_actions(self) -> np.ndarray:
        return np.asarray(self.engine.legal_mask(), bool)

    def get_state(self) -> dict:
        return self.engine.get_state()

    def set_state(self, state) -> None:
        self.engine.set_state(state)

    def provenance(self) -> dict:
        h = hashlib.sha256()
        for path in sorted(_ENGINE_DIR.glob("*.py")) + [_DATA_DIR / "cards.yaml", _DATA_DIR / "decks.yaml"]:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        return {"name": "tcg_python", "version": "tcg-pocket-spec.md (65-card pool)",
                "hash": h.hexdigest()[:16], "decks": [d.name for d in self.decks],
                "prng": "lowbias32 counter-based (spec §5)"}

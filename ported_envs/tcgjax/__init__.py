"""tcgjax: Pokémon TCG Pocket (the spec's 65-card pool) in pure JAX, gymnax style.

The functions below use the spec's rules (``Rules()``); every one is pure and ``jit``/``vmap``-able
(deck names are static Python values, resolved while tracing):

    s = reset(seed, "A-Fire", "B-Water")          # §5.4
    mask = legal_mask(s)                          # bool[72], §9.4
    s, reward = step(s, action)                   # §9.2, reward int32[2] (§9.6)
    view = observe(s, player)                     # int32[416], §9.5
    done(s)                                       # phase == OVER

``Engine(rules)`` (engine.py) holds the same functions for another rule set; ``env.TcgJaxEnv`` their
jitted and batched forms; ``play.make_play`` the ``lax.scan`` runs.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def _engine():
    from ported_envs.tcgjax.engine import Engine
    return Engine()


def reset(seed, deck0, deck1):
    """The §5.4 reset for a seed (uint32) and two decks (sample deck names or ``cards.Deck``)."""
    from ported_envs.tcgjax.cards import deck_arrays
    return _engine().reset(seed, *deck_arrays(deck0, deck1))


def step(state, action):
    return _engine().step(state, action)


def legal_mask(state):
    from ported_envs.tcgjax.views import legal_mask as mask
    return mask(_engine(), state)


def observe(state, player):
    from ported_envs.tcgjax.views import observe as view
    return view(_engine(), state, player)


def done(state):
    from ported_envs.tcgjax.state import OVER
    return state["phase"] == OVER

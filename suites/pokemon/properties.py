"""L1 case generators: states reached by random play on the reference, then one joint action.

Playing to a state costs tens of bridge round trips, so each variant keeps a bank of
states recorded once per process (battles from fixed seeds under uniform random play);
Hypothesis picks a battle, a step and the actions, and shrinks toward the first ones.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from equiv import Case, Discrete
from suites.pokemon.schema import N_ACTIONS, VOLATILE_INDEX

BANK_BATTLES = 12
BANK_MAX_STEPS = 400
_banks: dict = {}

SPACE = Discrete(N_ACTIONS, players=2)


def _bank(reference, variant: str) -> list[list[tuple[dict, np.ndarray]]]:
    """Per battle, the (state, legal mask) before each step, for a fixed set of seeds."""
    key = (variant, getattr(reference, "format", None))
    if key not in _banks:
        battles = []
        for seed in range(BANK_BATTLES):
            reference.reset(7919 * seed + 17)
            rng = np.random.default_rng([seed, 77])
            states = []
            for _ in range(BANK_MAX_STEPS):
                legal = np.asarray(reference.legal_actions(), bool)
                states.append((reference.get_state(), legal))
                out = reference.step(SPACE.sample(rng, legal))
                if out.terminated or out.truncated:
                    break
            battles.append(states)
        _banks[key] = battles
    return _banks[key]


def _pick(legal: np.ndarray, picks) -> np.ndarray:
    acts = []
    for p in range(2):
        choices = np.flatnonzero(legal[p])
        acts.append(int(choices[picks[p] % len(choices)]))
    return np.asarray(acts, np.int64)


def played(reference, variant: str):
    """A state from the bank and a legal joint action."""
    bank = _bank(reference, variant)

    @st.composite
    def case(draw):
        b = draw(st.integers(0, len(bank) - 1))
        t = draw(st.integers(0, len(bank[b]) - 1))
        picks = draw(st.tuples(st.integers(0, N_ACTIONS - 1), st.integers(0, N_ACTIONS - 1)))
        state, legal = bank[b][t]
        return Case({k: v.copy() for k, v in state.items()}, _pick(legal, picks),
                    note=f"bank battle {b} step {t}")

    return case()


def perturbed(reference, variant: str):
    """A bank state with a fresh PRNG key and changed HP / sleep / confusion counters (kept
    consistent: HP within [1, maxhp] for Pokemon still standing, counters in their ranges), so
    transitions off the played trajectories are compared too."""
    bank = _bank(reference, variant)

    @st.composite
    def case(draw):
        b = draw(st.integers(0, len(bank) - 1))
        t = draw(st.integers(0, len(bank[b]) - 1))
        state, legal = bank[b][t]
        s = {k: v.copy() for k, v in state.items()}
        s["prng"] = np.asarray(draw(st.lists(st.integers(0, 2**32 - 1), min_size=8, max_size=8)), np.uint32)
        standing = (s["species"] > 0) & ~s["fainted"] & (s["hp"] > 0)
        for side, slot in zip(*np.nonzero(standing)):
            if draw(st.booleans()):
                s["hp"][side, slot] = draw(st.integers(1, int(s["maxhp"][side, slot])))
            if s["status"][side, slot] == 3 and s["status_time"][side, slot] > 0:
                s["status_time"][side, slot] = draw(st.integers(1, 7))
        for side in range(2):
            if s["volatiles"][side, VOLATILE_INDEX["confusion"]] and s["vol_confusion_time"][side] > 0:
                s["vol_confusion_time"][side] = draw(st.integers(1, 5))
        picks = draw(st.tuples(st.integers(0, N_ACTIONS - 1), st.integers(0, N_ACTIONS - 1)))
        return Case(s, _pick(legal, picks), note=f"bank battle {b} step {t}, perturbed")

    return case()

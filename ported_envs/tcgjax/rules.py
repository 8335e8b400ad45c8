"""The game constants an engine is built with, and their constant tables in JAX.

``Rules()`` is the spec. Tests build deliberately broken engines by changing one field
(tests/tcgjax/mutants.py); nothing else in the engine knows about mutants.
"""
from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.tcgjax import cards as C


@dataclass(frozen=True)
class Rules:
    weakness_bonus: int = 20            # step 3
    supporters_per_turn: int = 1
    checkup_turn_player_first: bool = True   # R-4.3 (§8 A16): the player whose turn ended first
    poison_damage: int = 10
    ex_knockout_points: int = 2         # step 2 (any other Pokemon: 1)
    burn_damage: int = 20               # §8 A14
    paralysis_ends_after_owner_turn: bool = True  # step 4 (§8 A13)
    opening_attempt_cap: int = 100      # §5.4 (tests lower it to reach the fallback swap)


def _unique(values, what):
    vals = sorted({int(v) for v in np.asarray(values).ravel()})
    if len(vals) != 1:
        raise ValueError(f"the engine assumes one {what} for the whole pool, found {vals}; "
                         f"store it in the pending choice to support several")
    return vals[0]


class Consts:
    """The card tables as jnp constants plus the few pool-wide amounts that pending choices and markers
    do not carry (one value each in the pool; checked at build time)."""

    def __init__(self, t: C.Tables):
        # concrete constants even when the first Engine is built while a function is being traced
        with jax.ensure_compile_time_eval():
            self._build(t)

    def _build(self, t: C.Tables):
        self.t = t
        # one constant column per card property: a lookup gathers only the columns it uses (gathering
        # whole rows stored [..., 17] copies per lookup under vmap, and a column gather fuses into its reader)
        self.cols = ("kind", "stage", "ptype", "hp", "weak", "retreat", "ex", "name", "evolves_from", "ability",
                     "ability_amount", "ability_energy", "n_attacks", "trainer", "tr_amount", "tr_count", "tr_type")
        self.tab = {c: jnp.asarray(getattr(t, c)) for c in self.cols}
        # per-attack columns: [66, 2] each
        self.acols = ("cost_total", "damage", "effect", "coins", "extra", "recoil", "status", "amount", "energy",
                      "count", "hits")
        self.atab = {c: jnp.asarray(getattr(t, c)) for c in self.acols}
        self.cost = jnp.asarray(t.cost)
        self.names_ok = jnp.asarray(t.names_ok)
        ae, te = t.effect, t.trainer
        self.shuriken_amount = _unique(t.ability_amount[t.ability == C.AB["water_shuriken"]], "Water Shuriken amount")
        self.snipe_amount = _unique(t.amount[ae == C.AE["snipe_opp_bench"]], "bench-snipe amount")
        self.growl_amount = _unique(t.amount[ae == C.AE["growl"]], "Growl amount")
        self.inferno_type = _unique(t.energy[ae == C.AE["zone_to_bench_type_coins"]], "Inferno Dance Energy type")
        self.giovanni_amount = _unique(t.tr_amount[te == C.TE["giovanni"]], "Giovanni amount")
        self.blaine_amount = _unique(t.tr_amount[te == C.TE["blaine"]], "Blaine amount")
        self.blaine_card = _unique(np.flatnonzero(te == C.TE["blaine"]), "Blaine card")
        # the cards whose `names` the legal mask checks (one row each instead of a lookup per hand card)
        self.koga_card = _unique(np.flatnonzero(te == C.TE["koga"]), "Koga card")
        self.brock_card = _unique(np.flatnonzero(te == C.TE["brock"]), "Brock card")
        self.blue_amount = _unique(t.tr_amount[te == C.TE["blue"]], "Blue amount")
        self.misty_type = C.TYPES["W"]   # §6.3 misty: new W Energy
        self.brock_type = C.TYPES["F"]   # §6.3 brock: new F Energy

    def c(self, card, name):
        """Property ``name`` of the card indices ``card`` (any shape)."""
        return self.tab[name][card]

    def a(self, attack, name):
        """Property ``name`` of attack ``attack = (card, j)`` (j = 0 or 1; broadcastable)."""
        card, j = attack
        return self.atab[name][card, j]

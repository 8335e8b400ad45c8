"""The exact legal-action mask of spec §9.4 (72 booleans for the current actor)."""
from __future__ import annotations

from reference_envs.tcg_python.actions import (END, N_ACTIONS, NO_TARGET, ability, attach, attack, opp_slot,
                                               own_slot, play, retreat)
from reference_envs.tcg_python.cards import ASLEEP, CARDS, PARALYZED, TYPES
from reference_envs.tcg_python.state import (CHOICE, INFERNO_DANCE, MAIN, PROMOTE, SABRINA_SWITCH, SETUP,
                                             STRETCH_KICK, TELEPORT, WATER_SHURIKEN, GameState)

EVOLUTION_FROM_TURN = 3          # R-2.2.3 (a): nobody evolves on turns 1 and 2


def legal_mask(g: GameState) -> list[bool]:
    m = [False] * N_ACTIONS
    if g.phase == SETUP:
        _setup(g, m)
    elif g.phase == MAIN:
        _main(g, m)
    elif g.phase == CHOICE:
        _choice(g, m)
    return m                                                    # OVER: nothing is legal


def _setup(g: GameState, m: list) -> None:
    pl = g.players[g.setup_player]
    room = not pl.active.occupied or len(pl.bench_slots()) < 3
    for i, c in enumerate(pl.hand):
        if room and CARDS[c].is_basic:
            m[play(i)] = True
    m[END] = pl.active.occupied


def can_pay(energy: list, cost) -> bool:
    """R-2.4.1: every typed symbol matched, and enough Energy in total for the whole cost."""
    need = [0] * 9
    for t in cost:
        if t <= 8:
            need[t] += 1
    return all(energy[t - 1] >= need[t] for t in range(1, 9)) and sum(energy) >= len(cost)


def _main(g: GameState, m: list) -> None:
    P, O = g.turn_player, 1 - g.turn_player
    me, opp = g.players[P], g.players[O]
    A = me.active
    m[END] = True
    if me.zone_cur:
        for k in range(4):
            m[attach(k)] = me.slots[k].occupied
    for i, c in enumerate(me.hand):
        for t in _play_targets(g, me, opp, CARDS[c]):
            m[play(i, t)] = True
    for k in range(4):
        slot = me.slots[k]
        if slot.occupied and slot.ability_turn != g.turn and _ability_usable(me, k):
            m[ability(k)] = True
    stuck = A.status[ASLEEP] or A.status[PARALYZED]
    if not g.retreated and not stuck and sum(A.energy) >= max(0, CARDS[A.card].retreat - g.retreat_red):
        for b in me.bench_slots():
            m[retreat(b)] = True
    if not stuck:
        for a, atk in enumerate(CARDS[A.card].attacks):
            m[attack(a)] = can_pay(A.energy, atk.cost)


def _ability_usable(me, k: int) -> bool:
    ab = CARDS[me.slots[k].card].ability
    if ab is None or not ab.activated:
        return False
    if ab.effect == "gas_leak":                                 # only from the Active Spot
        return k == 0
    if ab.effect == "psy_shadow":                               # only with an Active of that type
        return CARDS[me.active.card].type == TYPES[ab.params["energy"]]
    return True


def _play_targets(g: GameState, me, opp, c) -> list[int]:
    """The targets t for which PLAY_HAND(i, t) is legal with card c in hand (§9.4)."""
    slots = me.slots
    if c.is_basic:
        return [NO_TARGET] if len(me.bench_slots()) < 3 else []
    if c.is_pokemon:
        if g.turn < EVOLUTION_FROM_TURN:
            return []
        return [t for t in range(4) if slots[t].occupied and CARDS[slots[t].card].name == c.evolves_from
                and slots[t].entered < g.turn]
    if c.kind == "supporter" and g.supporter_played:
        return []
    eff, prm = c.effect, c.params
    occupied = [t for t in range(4) if slots[t].occupied]
    if eff == "heal_target":
        want = TYPES.get(prm.get("target_type"), None)
        return [t for t in occupied if slots[t].dmg > 0 and (want is None or CARDS[slots[t].card].type == want)]
    if eff == "misty":
        return [t for t in occupied if CARDS[slots[t].card].type == TYPES["W"]]
    if eff == "brock":
        return [t for t in occupied if CARDS[slots[t].card].name in prm["names"]]
    if eff in ("tool_hp", "tool_counter"):
        return [t for t in occupied if slots[t].tool == 0]
    if eff == "koga":
        ok = CARDS[slots[0].card].name in prm["names"] and bool(me.bench_slots())
        return [NO_TARGET] if ok else []
    if eff == "sabrina":
        return [NO_TARGET] if opp.bench_slots() else []
    return [NO_TARGET]                                          # always playable


def _choice(g: GameState, m: list) -> None:
    kind, Q, _ = g.pending[0]
    me, opp = g.players[Q], g.players[1 - Q]
    if kind in (PROMOTE, SABRINA_SWITCH, TELEPORT):
        for b in me.bench_slots():
            m[own_slot(b)] = True
    elif kind == INFERNO_DANCE:
        for b in me.bench_slots():
            m[own_slot(b)] = CARDS[me.slots[b].card].type == TYPES["R"]
    elif kind == WATER_SHURIKEN:
        for k in range(4):
            m[opp_slot(k)] = opp.slots[k].occupied
    elif kind == STRETCH_KICK:
        for k in opp.bench_slots():
            m[opp_slot(k)] = True

"""The 416-value observation of spec §9.5, from the point of view of one player."""
from __future__ import annotations

from reference_envs.tcg_python.cards import CARDS, N_CARDS
from reference_envs.tcg_python.effects import max_hp
from reference_envs.tcg_python.state import HAND_MAX, SETUP, GameState

GLOBAL_SIZE, HANDS_SIZE, SLOT_SIZE = 25, 2 * HAND_MAX, 22
OBS_SIZE = GLOBAL_SIZE + HANDS_SIZE + 8 * SLOT_SIZE + 2 * N_CARDS + N_CARDS     # 416
# where each block starts (policies and metrics read the vector through these)
HANDS_AT = GLOBAL_SIZE
SLOTS_AT = HANDS_AT + HANDS_SIZE
DISCARDS_AT = SLOTS_AT + 8 * SLOT_SIZE
DECK_AT = DISCARDS_AT + 2 * N_CARDS
GLOBAL_NAMES = ("turn", "phase", "pend_kind", "pend_count", "is_turn_player", "is_first_player",
                "points_me", "points_opp", "deck_size_me", "deck_size_opp", "hand_size_me", "hand_size_opp",
                "supporter_played", "retreated", "retreat_red", "giovanni", "blaine", "zone_cur_me",
                "zone_next_me", "zone_next_opp", "blue_me", "blue_opp", "opp_hand_visible", "etypes_me",
                "etypes_opp")
SLOT_NAMES = ("card", "max_hp", "dmg", "energy_G", "energy_R", "energy_W", "energy_L", "energy_P",
              "energy_F", "energy_D", "energy_M", "tool", "poisoned", "burned", "asleep", "paralyzed",
              "confused", "entered_now", "ability_used_now", "growled", "under_basic", "under_stage1")


def _etype_mask(types) -> int:
    return sum(1 << (t - 1) for t in types)


def _slot(g: GameState, slot) -> list[int]:
    if not slot.occupied:
        return [0] * SLOT_SIZE
    return ([slot.card, max_hp(slot), slot.dmg] + list(slot.energy) + [slot.tool] + list(slot.status)
            + [int(slot.entered == g.turn), int(slot.ability_turn == g.turn), int(slot.growl_until >= g.turn),
               slot.under[0], slot.under[1]])


def observe(g: GameState, me: int) -> list[int]:
    opp = 1 - me
    pm, po = g.players[me], g.players[opp]
    setup = g.phase == SETUP
    visible = int(bool(g.hand_revealed) and me == g.turn_player)
    head = g.pending[0] if g.pending else (0, 0, 0)
    out = [g.turn, g.phase, head[0], head[2], int(me == g.turn_player), int(me == g.first_player),
           pm.points, po.points, len(pm.deck), len(po.deck), len(pm.hand), 0 if setup else len(po.hand),
           g.supporter_played, g.retreated, g.retreat_red, g.giovanni, g.blaine,
           pm.zone_cur, pm.zone_next, po.zone_next,
           int(pm.blue_until >= g.turn), int(po.blue_until >= g.turn), visible,
           _etype_mask(pm.etypes), _etype_mask(po.etypes)]
    out += pm.hand + [0] * (HAND_MAX - len(pm.hand))
    out += (po.hand + [0] * (HAND_MAX - len(po.hand))) if visible else [0] * HAND_MAX
    for slot in pm.slots:
        out += _slot(g, slot)
    for slot in po.slots:
        out += [0] * SLOT_SIZE if setup else _slot(g, slot)
    out += pm.discard[1:] + po.discard[1:]
    counts = [0] * (N_CARDS + 1)
    for c in pm.deck:
        counts[c] += 1
    out += counts[1:]
    return out

"""Semantic coverage: which rules and card effects a reference transition exercised.

``hit(before, action, outputs, after, variant)`` names them from the canonical states on
either side of the step; the framework counts the names over L1 cases, L2 steps and L3
lockstep steps and the report lists every key of ``keys(variant)`` never hit (the quick
tier requires each at least once in the three main variants).

Keys: ``setup:place``, ``setup:end``, ``end_turn``, ``attach``, ``bench_basic``,
``evolve:stage1|2``, ``retreat`` (``retreat:reduced`` with X Speed/Leaf), ``attack:<effect
code>`` (``attack:while_confused`` too), ``ability:<effect code>`` (``ability:shell_armor``
when a Cloyster takes attack damage), ``trainer:<card name>``, ``choice:<pending kind>``,
``checkup:<condition>``, ``draw:full_hand``/``draw:empty_deck`` at a turn start, ``ko``,
``ko:ex``, ``ko:double`` (both players lose a Pokémon in one step), ``end:<how>`` (points,
no_pokemon, draw_points, draw_no_pokemon, turn_limit).
"""
from __future__ import annotations

import numpy as np

from reference_envs.tcg_python.actions import decode
from reference_envs.tcg_python.cards import BY_NAME, CARDS, deck_named
from reference_envs.tcg_python.state import PENDING_NAMES

CLOYSTER = BY_NAME["Cloyster"].idx
CONDITIONS = ("poisoned", "burned", "asleep", "paralyzed")
GENERIC = ("setup:place", "setup:end", "end_turn", "attach", "bench_basic", "retreat", "ko", "ko:ex", "ko:double",
           "choice:PROMOTE", "end:points", "end:no_pokemon", "end:draw_points", "end:draw_no_pokemon",
           "end:turn_limit", "draw:full_hand", "draw:empty_deck") + tuple(f"checkup:{c}" for c in CONDITIONS)
CHOICE_OF = {"Sabrina": "SABRINA_SWITCH", "Abra": "TELEPORT", "Moltres ex": "INFERNO_DANCE",
             "Greninja": "WATER_SHURIKEN", "Hitmonlee": "STRETCH_KICK"}


def _i(a, *idx) -> int:
    return int(np.asarray(a)[idx])


def hit(before, action, outputs, after, variant=None) -> list[str]:
    keys = []
    a = int(action)
    phase, P = int(before["phase"]), int(before["turn_player"])
    kind, *args = decode(a)
    if phase == 0:
        keys.append("setup:end" if kind == "END" else "setup:place")
    elif phase == 1:
        if kind == "END":
            keys.append("end_turn")
        elif kind == "ATTACH":
            keys.append("attach")
        elif kind == "PLAY_HAND":
            card = CARDS[_i(before["hand"], P, args[0])]
            if card.is_basic:
                keys.append("bench_basic")
            elif card.is_pokemon:
                keys.append(f"evolve:stage{card.stage}")
            else:
                keys.append(f"trainer:{card.name}")
        elif kind == "USE_ABILITY":
            keys.append(f"ability:{CARDS[_i(before['card'], P, args[0])].ability.effect}")
        elif kind == "RETREAT":
            keys.append("retreat")
            if int(before["retreat_red"]) > 0:
                keys.append("retreat:reduced")
        elif kind == "ATTACK":
            attacker = CARDS[_i(before["card"], P, 0)]
            keys.append(f"attack:{attacker.attacks[args[0]].effect}")
            if _i(before["status"], P, 0, 4):
                keys.append("attack:while_confused")
            O = 1 - P
            for s in range(4):   # Shell Armor worked on a Cloyster that took attack damage
                if _i(before["card"], O, s) == CLOYSTER and (
                        _i(after["card"], O, s) != CLOYSTER or _i(after["dmg"], O, s) > _i(before["dmg"], O, s)):
                    keys.append("ability:shell_armor")
    elif phase == 2:
        keys.append(f"choice:{PENDING_NAMES[_i(before['pend_kind'], 0)]}")
    keys += _consequences(before, after, P)
    return keys


def _consequences(before, after, P) -> list[str]:
    keys = []
    gained = [_i(after["points"], q) - _i(before["points"], q) for q in (0, 1)]
    if any(gained):
        keys.append("ko")
        if 2 in gained:
            keys.append("ko:ex")
        if all(gained):
            keys.append("ko:double")
    # the Checkup ran if a new turn began, or promotions it caused are pending (resume NEXT_TURN)
    turn_ended = int(after["turn"]) > int(before["turn"]) or (int(after["resume"]) == 3 and int(after["phase"]) == 2)
    if turn_ended and int(before["phase"]) != 0:
        for q in (P, 1 - P):
            for c, name in enumerate(CONDITIONS):
                if _i(before["card"], q, 0) and _i(before["status"], q, 0, c) and (name != "paralyzed" or q == P):
                    keys.append(f"checkup:{name}")
    if int(after["turn"]) > int(before["turn"]) and int(before["phase"]) != 0:
        nxt = int(after["turn_player"])
        if _i(before["hand_size"], nxt) == 10:
            keys.append("draw:full_hand")
        if _i(before["deck_size"], nxt) == 0:
            keys.append("draw:empty_deck")
    result = int(after["result"])
    if result != -1 and int(before["result"]) == -1:
        in_play = [bool(np.asarray(after["card"])[q].any()) for q in (0, 1)]
        points = [_i(after["points"], q) for q in (0, 1)]
        if result == 2:
            keys.append("end:draw_no_pokemon" if not any(in_play) else
                        "end:draw_points" if min(points) >= 3 else "end:turn_limit")
        else:
            keys.append("end:no_pokemon" if not all(in_play) else "end:points")
    return keys


def keys(variant_config: dict) -> list[str]:
    """Every key reachable with the variant's two decks."""
    cards = {c for d in (variant_config["deck0"], variant_config["deck1"]) for c in deck_named(d).cards}
    out = set(GENERIC)
    for c in cards:
        card = CARDS[c]
        if card.is_pokemon:
            out.update(f"attack:{a.effect}" for a in card.attacks)
            if card.stage:
                out.add(f"evolve:stage{card.stage}")
            if card.ability is not None:
                out.add(f"ability:{card.ability.effect}")
            if card.name == "Misdreavus":
                out.add("attack:while_confused")
        else:
            out.add(f"trainer:{card.name}")
            if card.name in ("X Speed", "Leaf"):
                out.add("retreat:reduced")
        if card.name in CHOICE_OF:
            out.add(f"choice:{CHOICE_OF[card.name]}")
    if "C-Dragon-Lightning" in (variant_config["deck0"], variant_config["deck1"]):
        out.add("attack:times_own_bench_type")       # Pikachu ex, staged by its L1 property
    return sorted(out)

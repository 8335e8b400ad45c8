"""Semantic coverage: which moves, effects and gen-1 edges a reference transition exercised.

``hit(before, action, outputs, after, variant)`` names them from the canonical states on either
side of the step; the framework counts the names over L1 cases, L2 steps and L3 lockstep steps,
and the report lists every key of ``keys(variant)`` never hit.

Keys: ``move:<id>`` (a side chose that move, by Showdown's id: ``move:thunderbolt``;
``move:forced`` for the single forced entry),
``status:<name>`` (a side's active got the status this step; ``cure`` when one ended),
``vol:<name>`` (a volatile started), ``faint``, ``switch``, ``end:<win|tie|truncated>``, and
the edges where gen-1 decisions flip: ``edge:boost+6`` / ``edge:boost-6`` (a stage at its
limit), ``edge:stat999`` / ``edge:stat1`` (a modified stat at the cap / floor),
``edge:stat256`` (an attacking stat crossing 256, where damage divides by 4),
``edge:pp0`` (a move at 0 PP), ``edge:pp_underflow`` (a 0-PP move used: 63 or -1),
``edge:recover_glitch`` (Recover/Softboiled/Rest chosen at maxhp-255 or maxhp-511),
``edge:damage1`` (a hit of exactly 1 HP), ``edge:damage_cap`` (a damaging move chosen where
getDamage's base damage, computed without a crit from the state before, reaches its 997 cap, and
the foe or its Substitute lost HP), ``edge:speed_tie``, ``edge:sleep_end``, ``edge:confusion_end``,
``edge:turn_limit`` (the step went past turn 1000: gen 1's turn-limit tie). ``edge:pp_underflow``
also counts a slot whose 0 PP became 63 (the 6-bit underflow) or -1 (gen1customgame). Where the variant's moves include
a partial-trapping move: ``edge:trap_cannotmove`` (a trapped Pokemon's Fight, queued as
'cannotmove'), ``edge:trap_recharge`` (a trapping move cancelled the foe's Hyper Beam recharge),
``edge:trap_maybe_locked`` (a request with maybeLocked: the lock's later turns) and
``edge:trap_end`` (the lock's last turn: fakepartiallytrapped).
"""
from __future__ import annotations

import numpy as np

from suites.pokemon.schema import STATUSES, VOLATILES, load_data

EDGES = ("boost+6", "boost-6", "stat999", "stat1", "stat256", "pp0", "pp_underflow", "recover_glitch", "damage1",
         "damage_cap", "speed_tie", "sleep_end", "confusion_end", "turn_limit")
GENERIC = ("move:forced", "faint", "switch", "cure", "end:win", "end:tie") + tuple(f"edge:{e}" for e in EDGES)
HEALERS = ("recover", "softboiled", "rest")
TRAPPERS = ("wrap", "bind", "clamp", "firespin")
TRAP_EDGES = ("trap_cannotmove", "trap_recharge", "trap_maybe_locked", "trap_end")
_ids: dict = {}


def _move_ids() -> dict:
    if not _ids:
        _ids.update({m["id"]: i for i, m in enumerate(load_data()["moves"]) if m.get("id")})
    return _ids


def _move_key(mv: int) -> str:
    return f"move:{load_data()['moves'][mv].get('id') or mv}"


def _a(x):
    return np.asarray(x)


def base_damage(state, s: int, mv: int) -> int | None:
    """getDamage's base damage of side ``s`` using move ``mv`` on the foe, no crit: the value the
    997 cap clamps (before +2, STAB, types and the roll); None for a move without a base power."""
    move = load_data()["moves"][mv]
    bp = int(move.get("basePower") or 0)
    if not bp or move.get("damage") or move.get("ohko"):
        return None
    special = move.get("category") == "Special"
    a_i, d_i = (2, 3) if special else (0, 1)
    atk = int(_a(state["modified_stats"])[s, 0, a_i])
    dfn = int(_a(state["modified_stats"])[1 - s, 0, d_i])
    if _a(state["volatiles"])[1 - s, VOLATILES.index("lightscreen" if special else "reflect")]:
        dfn *= 2
    level = int(_a(state["level"])[s, 0]) % 256
    if atk >= 256 or dfn >= 256:
        atk, dfn = max((atk // 4) % 256, 1), (dfn // 4) % 256
    dfn = max(dfn, 1)
    if move.get("selfdestruct") and not special:
        dfn = max(dfn // 2, 1)
    return ((level * 2 // 5 + 2) * bp * atk // dfn) // 50


def hit(before, action, outputs, after, variant=None) -> list[str]:
    keys = []
    ids = _move_ids()
    healers = {ids[h] for h in HEALERS}
    act = _a(action).reshape(-1)
    keys.extend(_trap_edges(before, act, after, ids))
    for s in (0, 1):
        a = int(act[s])
        if int(_a(before["request"])[s]) == 1:
            if a < 4:
                mv = int(_a(before["move_id"])[s, 0, a])
                keys.append(_move_key(mv))
                pp = int(_a(before["move_pp"])[s, 0, a])
                if pp <= 0:
                    keys.append("edge:pp_underflow")
                hp, mx = int(_a(before["hp"])[s, 0]), int(_a(before["maxhp"])[s, 0])
                if mv in healers and hp in (mx - 255, mx - 511):
                    keys.append("edge:recover_glitch")
                base = base_damage(before, s, mv)
                o = 1 - s
                took = int(_a(after["hp"])[o, 0]) < int(_a(before["hp"])[o, 0]) \
                    or int(_a(after["vol_substitute_hp"])[o]) < int(_a(before["vol_substitute_hp"])[o])
                if base is not None and base >= 997 and took \
                        and int(_a(before["species"])[o, 0]) == int(_a(after["species"])[o, 0]):
                    keys.append("edge:damage_cap")
            elif a == 12:
                keys.append("move:forced")
            elif 4 <= a < 10:
                keys.append("switch")
        same = int(_a(before["species"])[s, 0]) == int(_a(after["species"])[s, 0])
        st0, st1 = int(_a(before["status"])[s, 0]), int(_a(after["status"])[s, 0])
        if same and st1 != st0:
            keys.append(f"status:{STATUSES[st1]}" if st1 else "cure")
            if st0 == STATUSES.index("slp") and not st1:
                keys.append("edge:sleep_end")
        v0, v1 = _a(before["volatiles"])[s], _a(after["volatiles"])[s]
        keys.extend(f"vol:{VOLATILES[v]}" for v in np.flatnonzero(v1 & ~v0))
        if same and v0[VOLATILES.index("confusion")] and not v1[VOLATILES.index("confusion")]:
            keys.append("edge:confusion_end")
        h0, h1 = int(_a(before["hp"])[s, 0]), int(_a(after["hp"])[s, 0])
        if same and h0 > 0 and h1 == 0:
            keys.append("faint")
        if same and h0 - h1 == 1:
            keys.append("edge:damage1")
        b = _a(after["boosts"])[s, 0]
        if (b >= 6).any():
            keys.append("edge:boost+6")
        if (b <= -6).any():
            keys.append("edge:boost-6")
        ms = _a(after["modified_stats"])[s, 0]
        if (ms >= 999).any():
            keys.append("edge:stat999")
        if (ms <= 1).any():
            keys.append("edge:stat1")
        if ((_a(before["modified_stats"])[s, 0, :4] < 256) != (ms[:4] < 256)).any() and same:
            keys.append("edge:stat256")
        if ((_a(after["move_id"])[s, 0] > 0) & (_a(after["move_pp"])[s, 0] <= 0)).any():
            keys.append("edge:pp0")
        pp0, pp1 = _a(before["move_pp"])[s, 0], _a(after["move_pp"])[s, 0]
        if same and ((pp0 == 0) & ((pp1 == 63) | (pp1 == -1))).any():
            keys.append("edge:pp_underflow")
    if int(_a(before["speed"])[0, 0]) == int(_a(before["speed"])[1, 0]):
        keys.append("edge:speed_tie")
    if int(_a(before["turn"])) <= 1000 < int(_a(after["turn"])):
        keys.append("edge:turn_limit")
    if bool(_a(after["ended"])) and not bool(_a(before["ended"])):
        keys.append("end:tie" if int(_a(after["winner"])) == 2 else "end:win")
    return keys


def _trap_edges(before, act, after, ids) -> list[str]:
    out = []
    trappers = {ids[t] for t in TRAPPERS}
    vol = {n: VOLATILES.index(n) for n in ("partiallytrapped", "mustrecharge", "fakepartiallytrapped")}
    for s in (0, 1):
        o = 1 - s
        if int(_a(before["request"])[s]) == 1 and int(act[s]) == 12 and _a(before["volatiles"])[s, vol["partiallytrapped"]]:
            out.append("edge:trap_cannotmove")
        a = int(act[o])
        chose = int(_a(before["move_id"])[o, 0, a]) if a < 4 else int(_a(before["side_last_selected_move"])[o])
        same = int(_a(before["species"])[s, 0]) == int(_a(after["species"])[s, 0])
        if same and chose in trappers and _a(before["volatiles"])[s, vol["mustrecharge"]] \
                and not _a(after["volatiles"])[s, vol["mustrecharge"]]:
            out.append("edge:trap_recharge")
        if _a(after["maybe_locked"])[s, 0]:
            out.append("edge:trap_maybe_locked")
        if _a(after["volatiles"])[s, vol["fakepartiallytrapped"]] and not _a(before["volatiles"])[s, vol["fakepartiallytrapped"]]:
            out.append("edge:trap_end")
    return out


def keys(moves) -> list[str]:
    """Every key of a variant whose teams draw from ``moves`` (move ids): what the report counts
    and lists when never hit."""
    # bad poison comes from Toxic alone (the random-battle pool has none)
    badly = ("tox",) if _move_ids()["toxic"] in set(moves) else ()
    statuses = [f"status:{s}" for s in STATUSES[1:] if s not in ("fnt", "tox") or s in badly]
    trap = {f"edge:{e}" for e in TRAP_EDGES} if {_move_ids()[t] for t in TRAPPERS} & set(moves) else set()
    return sorted(set(GENERIC) | {_move_key(m) for m in moves} | set(statuses) | trap)


def required(moves=None) -> list[str]:
    """The keys a tier with ``coverage_min`` requires: the gen-1 edges the L1 edges property
    reaches in every variant (measured at the standard tier's 120 examples), and where ``moves``
    is given (the whole-game variant) every one of its moves and statuses: the standard tier's
    200 lockstep battles alone used each of the 165 at least 21 times. The pool variants report
    their moves without requiring them (there L3 alone left two pool moves unused and five at
    1-3 uses); switches and the trap edges are reported everywhere."""
    every = [k for k in keys(moves) if k.startswith(("move:", "status:"))] if moves is not None else []
    return [f"edge:{e}" for e in EDGES] + every

"""Teams drawn from the whole gen-1 game, for the ``wholegame`` variant and the move checks.

``teams(seed)`` gives both sides six distinct species of the 151 (uniform), each at a level in
50..100, with random DVs (the HP DV made from the others, as the games do) and random stat
experience, and four distinct moves drawn uniformly from every gen-1 move but Struggle (a fixed
list: ``_tables()["all"]``). Teams are Showdown sets (dicts), so both adapters build the same
battle: the reference hands them to Showdown, a port converts them to its own form. Legality
(learnsets) is not asked for: ``gen1customgame`` plays any move on any species, which is what
exercises every mechanic on every body.

``EXCLUDED`` names the gen-1 moves the bundled port (pokejax) does not implement yet (its README,
"Not covered"). A drawn move that is excluded is replaced by one drawn from a generator of its
own (seeded by the battle, side, member and slot), so the main draw never depends on the list:
when a move leaves ``EXCLUDED`` only the teams that drew it change, every other team (and every
trace recorded on one) stays as it is.
"""
from __future__ import annotations

import numpy as np

EXCLUDED = ()
STATS = ("hp", "atk", "def", "spa", "spd", "spe")
_cache: dict = {}


def _tables():
    if not _cache:
        from suites.pokemon.schema import load_data
        data = load_data()
        _cache["species"] = [s["name"] for s in data["species"][1:152]]
        _cache["all"] = [m["id"] for m in data["moves"][1:] if m.get("id") and not m.get("pseudo")
                         and m["id"] != "struggle"]
        _cache["moves"] = [m for m in _cache["all"] if m not in EXCLUDED]
    return _cache


def member(rng, species: str, moves: list[str]) -> dict:
    dv = {k: int(rng.integers(0, 16)) for k in ("atk", "def", "spe", "spa")}
    dv["spd"] = dv["spa"]  # one Special DV
    dv["hp"] = (dv["atk"] & 1) * 8 + (dv["def"] & 1) * 4 + (dv["spe"] & 1) * 2 + (dv["spa"] & 1)
    ev = {k: int(rng.integers(0, 256)) for k in STATS}
    ev["spd"] = ev["spa"]
    return {"name": species, "species": species, "moves": moves, "ability": "No Ability", "item": "",
            "level": int(rng.integers(50, 101)), "ivs": {k: 2 * dv[k] for k in STATS},
            "evs": {k: ev[k] for k in STATS}, "gender": False, "shiny": False}


def _replace_excluded(moves: list[str], where: tuple) -> list[str]:
    """``moves`` with each excluded move swapped for an allowed one not already held, drawn from a
    generator of its own (``where`` = battle seed, side, member), leaving the main draw alone."""
    if not any(m in EXCLUDED for m in moves):
        return moves
    allowed = _tables()["moves"]
    out = list(moves)
    for k, mv in enumerate(moves):
        if mv in EXCLUDED:
            sub = np.random.default_rng([*where, k, 0x5B5])
            choices = [m for m in allowed if m not in out]
            out[k] = str(choices[int(sub.integers(len(choices)))])
    return out


def teams(seed: int, must: tuple = ()) -> list:
    """Both teams of battle ``seed``. ``must``: move ids (names) one member of each side holds
    (the move checks use it to aim at a mechanic); the rest of the draw is unchanged by it."""
    t = _tables()
    rng = np.random.default_rng([int(seed), 0x6E1])
    out = []
    for _side in range(2):
        team = []
        for j, name in enumerate(rng.choice(t["species"], 6, replace=False)):
            moves = [str(m) for m in rng.choice(t["all"], 4, replace=False)]
            team.append(member(rng, str(name), _replace_excluded(moves, (int(seed), _side, j))))
        out.append(team)
    for side, team in enumerate(out):
        for k, mv in enumerate(must):
            slot = team[k % 6]["moves"]
            if mv not in slot:
                slot[(side + k) % 4] = mv
    return out

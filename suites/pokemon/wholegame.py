"""Teams drawn from the whole gen-1 game, for the ``wholegame`` variant and the move checks.

``teams(seed)`` gives both sides six distinct species of the 151 (uniform), each at a level in
50..100, with random DVs (the HP DV made from the others, as the games do) and random stat
experience, and four distinct moves drawn uniformly from every gen-1 move except Struggle and
``EXCLUDED``. Teams are Showdown sets (dicts), so both adapters build the same battle: the
reference hands them to Showdown, a port converts them to its own form. Legality (learnsets) is
not asked for: ``gen1customgame`` plays any move on any species, which is what exercises every
mechanic on every body.

``EXCLUDED`` names the gen-1 moves left out of the draw for now: the mechanics the bundled port
(pokejax) does not implement yet (its README, "Not covered"). The variant's scope is therefore
"the whole game but these"; each move leaves the list when it is implemented and checked.
"""
from __future__ import annotations

import numpy as np

EXCLUDED = ("bide", "bind", "clamp", "firespin", "metronome",
            "wrap")
STATS = ("hp", "atk", "def", "spa", "spd", "spe")
_cache: dict = {}


def _tables():
    if not _cache:
        from suites.pokemon.schema import load_data
        data = load_data()
        _cache["species"] = [s["name"] for s in data["species"][1:152]]
        _cache["moves"] = [m["id"] for m in data["moves"][1:] if m.get("id") and not m.get("pseudo")
                           and m["id"] != "struggle" and m["id"] not in EXCLUDED]
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


def teams(seed: int, must: tuple = ()) -> list:
    """Both teams of battle ``seed``. ``must``: move ids (names) one member of each side holds
    (the move checks use it to aim at a mechanic); the rest of the draw is unchanged by it."""
    t = _tables()
    rng = np.random.default_rng([int(seed), 0x6E1])
    out = []
    for _side in range(2):
        team = []
        for name in rng.choice(t["species"], 6, replace=False):
            moves = [str(m) for m in rng.choice(t["moves"], 4, replace=False)]
            team.append(member(rng, str(name), moves))
        out.append(team)
    for side, team in enumerate(out):
        for k, mv in enumerate(must):
            slot = team[k % 6]["moves"]
            if mv not in slot:
                slot[(side + k) % 4] = mv
    return out

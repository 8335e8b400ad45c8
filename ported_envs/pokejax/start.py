"""The battle start in JAX: teams (arrays) -> the state at turn 1, as Showdown's Battle makes it.

A team is arrays: ``species`` [6] (dex numbers, 0 = empty slot, members first), ``level`` [6],
``moves`` [6, 4] (move ids, 0 = empty, moves first), ``ivs`` / ``evs`` [6, 6] in hp, atk, def,
spa, spd, spe order (IVs are gen-1 DVs x2, 0..30; EVs are stat experience on the 0..255 scale).
What the start does (sim/pokemon.ts constructor, battle.ts statModify/calculatePP/start, read
for behaviour): IVs clamped to 0..31 and made even, EVs clamped to 0..255; stats by the gen-1/2
formula; every move with max PP Ups (3), 40-PP moves gaining 7 per PP Up, Struggle none; both
leads sent out: when their speeds tie, the runSwitch insertion and the three Update speed sorts
each draw one [0, 2) from the battle's PRNG; then turn 1 with both sides asked for a move.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import layout, prng as P, teams as T
from ported_envs.pokejax.tables import Tables

I32 = jnp.int32
START_DRAWS_ON_TIE = 4


def _stat(base, iv, ev, level, hp: bool):
    core = 2 * base + iv + ev // 4
    return jnp.where(hp, ((core + 100) * level) // 100 + 10, (core * level) // 100 + 5)


def team_fields(tab: Tables, team: dict) -> dict:
    """The per-Pokemon fields of one side at the start, [6, ...] arrays (no side axis)."""
    species = jnp.asarray(team["species"], I32)
    real = species > 0
    level = jnp.clip(jnp.asarray(team["level"], I32), 1, 100)
    ivs = (jnp.clip(jnp.asarray(team["ivs"], I32), 0, 31) & 30) * real[:, None]
    evs = jnp.clip(jnp.asarray(team["evs"], I32), 0, 255) * real[:, None]
    base = jnp.asarray(tab.sp_base, I32)[species]  # [6, 6] hp, atk, def, spa, spd, spe
    stats = _stat(base, ivs, evs, level[:, None], jnp.arange(6) == 0) * real[:, None]
    moves = jnp.asarray(team["moves"], I32) * real[:, None]
    pp = jnp.asarray(tab.m_pp, I32)[moves]
    maxpp = jnp.where(jnp.asarray(tab.m_no_pp_boosts)[moves], pp, (pp * 8) // 5 - jnp.where(pp == 40, 3, 0))
    maxpp = jnp.where(moves > 0, maxpp, 0)
    z = jnp.zeros(6, I32)
    return {
        "species": species, "base_species": species, "level": level * real, "hp": stats[:, 0],
        "maxhp": stats[:, 0], "ivs": ivs, "evs": evs, "base_stats": stats[:, 1:], "stored_stats": stats[:, 1:],
        "modified_stats": stats[:, 1:], "speed": stats[:, 5], "types": jnp.asarray(tab.sp_types, I32)[species],
        "active_turns": jnp.where((jnp.arange(6) == 0) & real, 1, z),
        "move_id": moves, "move_pp": maxpp, "move_maxpp": maxpp, "base_move_id": moves,
        "base_move_pp": maxpp, "base_move_maxpp": maxpp,
    }


def start_state(tab: Tables, teams: tuple, key, kind: int = P.SODIUM) -> dict:
    """The state at turn 1 of a battle between ``teams`` (p1's, p2's) with battle PRNG state ``key``."""
    st = {k: jnp.asarray(v) for k, v in layout.empty_state().items()}
    sides = [team_fields(tab, t) for t in teams]
    for name in sides[0]:
        st[name] = jnp.stack([s[name] for s in sides]).astype(layout.DTYPES[name])
    nomove = tab.ids["nomove"]
    for f in ("side_last_selected_move", "side_last_enemy_selected_move"):
        st[f] = jnp.full(2, nomove, layout.DTYPES[f])
    st["turn"] = jnp.asarray(1, I32)
    st["request"] = jnp.ones(2, layout.DTYPES["request"])
    st["winner"] = jnp.asarray(-1, layout.DTYPES["winner"])
    tie = sides[0]["speed"][0] == sides[1]["speed"][0]
    key = jnp.asarray(key, jnp.uint32)
    step = P.sodium_next_rolled if kind == P.SODIUM else (lambda k: P.next_u32(kind, k))
    after = jax.lax.fori_loop(0, START_DRAWS_ON_TIE, lambda _, k: step(k)[0], key)
    st["prng"] = jnp.where(tie, after, key)
    return st


def reset(tab: Tables, sets: T.SetTables, seed, kind: int = P.SODIUM) -> dict:
    """reset(seed): both teams from Showdown's gen-1 random-battle generator (seeds
    ``sodium,<hex(2*seed+1)>`` and ``sodium,<hex(2*seed+2)>``) and the battle seeded
    ``sodium,<seed as 16 hex digits>`` (gen5 kind: ``gen5,<seed as 16 hex digits>``); seed < 2^31."""
    made = jax.vmap(lambda k: T.generate(sets, k))(T.team_keys(seed))  # one compiled generator
    both = tuple(jax.tree.map(lambda x, i=i: x[i], made) for i in (0, 1))
    return start_state(tab, both, battle_key(seed, kind), kind)


def battle_key(seed, kind: int = P.SODIUM):
    """The battle PRNG state of reset(seed): the 16-hex-digit seed as Showdown parses it."""
    if kind == P.SODIUM:
        return T.battle_key(seed)
    s = jnp.asarray(seed, jnp.uint32)  # gen5,<16 hex>: four 16-bit limbs, most significant first
    return jnp.stack([jnp.zeros((), jnp.uint32), jnp.zeros((), jnp.uint32), s >> 16, s & 0xFFFF]
                     + [jnp.zeros((), jnp.uint32)] * 4)


def teams_as_arrays(teams, data: dict) -> tuple:
    """Showdown sets (dicts with species/level/moves/ivs/evs, as the generator returns them) ->
    the start's team arrays, for both sides; names are looked up in the data file."""
    species = {s.get("id"): i for i, s in enumerate(data["species"]) if s.get("id")}
    moves = {m.get("id"): i for i, m in enumerate(data["moves"]) if m.get("id")}
    norm = lambda name: "".join(ch for ch in str(name).lower() if ch.isalnum())
    out = []
    for team in teams:
        if len(team) > 6:
            raise ValueError(f"pokejax: a team holds at most 6 Pokemon, got {len(team)}")
        arr = {"species": np.zeros(6, np.int32), "level": np.zeros(6, np.int32),
               "moves": np.zeros((6, 4), np.int32), "ivs": np.zeros((6, 6), np.int32),
               "evs": np.zeros((6, 6), np.int32)}
        for j, member in enumerate(team):
            name = norm(member.get("species") or member.get("name"))
            if name not in species:
                raise ValueError(f"pokejax: unknown gen-1 species {member.get('species')!r}")
            arr["species"][j] = species[name]
            arr["level"][j] = int(member.get("level") or 100)
            ids = [moves.get(norm(m)) for m in member.get("moves") or []]
            if not ids or None in ids or len(ids) > 4:
                raise ValueError(f"pokejax: {name}'s moves {member.get('moves')!r} must be 1-4 gen-1 moves")
            arr["moves"][j, :len(ids)] = ids
            for k, stat in enumerate(("hp", "atk", "def", "spa", "spd", "spe")):
                arr["ivs"][j, k] = (member.get("ivs") or {}).get(stat, 31)
                arr["evs"][j, k] = (member.get("evs") or {}).get(stat, 0)
        out.append(arr)
    return tuple(out)

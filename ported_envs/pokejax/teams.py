"""Showdown's gen-1 random-battle team generator in JAX, draw for draw.

What it reproduces (Showdown 0.11.11, data/random-battles/gen1/teams.ts ``randomTeam`` and
``randomSet``, read for behaviour): the generator's own sodium PRNG, seeded ``sodium,<hex>``;
one draw for a type (unused outside monotype, but drawn); species drawn without replacement
(swap-with-last pop) from the random-battle data in file order, rejected when a type of theirs
is already held twice, when they would make a third member weak to one of Electric, Psychic,
Water, Ice, Ground or Fire, or when they are a second level-100 member; rejected species fill
the team last. A set: combo moves (when the species has them) on a coin flip, one exclusive
move, the essential moves, then moves drawn without replacement from the weighted pool until
four; moves shuffled (Fisher-Yates); EVs 255 and DVs 15 (IVs 30), HP EVs lowered by 4 until the
HP is not a multiple of 4 when the set has Substitute, Attack zeroed (IV 2, EV 0) when no move
uses it. Tables come from the exported data file (``layout.load_data()``).
"""
from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import prng as P

I32, U32 = jnp.int32, jnp.uint32
TEAM = 6
WEAKNESS_TYPES = ("Electric", "Psychic", "Water", "Ice", "Ground", "Fire")  # Showdown's order
N_TYPES_DRAWN = 15  # dex.types.names() in gen 1: the type drawn first (for monotype) from 15


@dataclass(frozen=True)
class SetTables:
    """The random-battle data as padded arrays, one row per species in the data file's order."""
    species: np.ndarray       # [E] dex number
    level: np.ndarray         # [E]
    types: np.ndarray         # [E, 2] type ids (0 = none)
    weak: np.ndarray          # [E, 6] weak to WEAKNESS_TYPES[k] (effective and not immune)
    pool: np.ndarray          # [E, P] move ids of the weighted pool (duplicates kept), 0 padded
    pool_n: np.ndarray        # [E]
    excl: np.ndarray          # [E, X] exclusive moves (duplicates kept)
    excl_n: np.ndarray
    essential: np.ndarray     # [E, 4]
    essential_n: np.ndarray
    combo: np.ndarray         # [E, 4]
    combo_n: np.ndarray       # 0 when none (or more than four: never taken)
    hp_ev_sub: np.ndarray     # [E] HP EV of a set with Substitute
    no_atk_move: np.ndarray   # [move] the move does not use Attack (fixed damage or not physical)
    mimic: int
    transform: int
    substitute: int


def _pad(rows, width):
    out = np.zeros((len(rows), max(width, 1)), np.int32)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def build(data: dict) -> SetTables:
    moves = data["moves"]
    mid = {m.get("id"): i for i, m in enumerate(moves) if m.get("id")}
    types = data["types"]
    taken = np.asarray(data["type_chart"]["damage_taken"])  # [def, atk]
    sp_index = {s.get("id"): i for i, s in enumerate(data["species"]) if s.get("id")}
    rows = list(data["random_battle_sets"].items())
    sp, lv, ty, weak, hp_sub = [], [], [], [], []
    lists = {k: [] for k in ("moves", "exclusiveMoves", "essentialMoves", "comboMoves")}
    for name, entry in rows:
        i = sp_index[name]
        s = data["species"][i]
        sp.append(i)
        level = int(entry.get("level") or 80)
        lv.append(level)
        ty.append((list(s["types"]) + [0, 0])[:2])
        row = []
        for t in WEAKNESS_TYPES:
            a = types.index(t)
            codes = [taken[d, a] for d in s["types"]]
            immune = any(c == 3 for c in codes)
            eff = sum(1 if c == 1 else -1 if c == 2 else 0 for c in codes)
            row.append(not immune and eff > 0)
        weak.append(row)
        for k in lists:
            lists[k].append([mid[m] for m in entry.get(k) or []])
        ev = 255  # randomSet's loop with Substitute: lower HP EVs by 4 while HP % 4 == 0
        while ev > 3:
            hp = ((2 * s["base_stats"]["hp"] + 30 + ev // 4 + 100) * level) // 100 + 10
            if hp % 4 != 0:
                break
            ev -= 4
        hp_sub.append(ev)
    combo_n = np.asarray([len(c) if len(c) <= 4 else 0 for c in lists["comboMoves"]], np.int32)
    no_atk = np.zeros(len(moves), bool)
    for i, m in enumerate(moves):
        if not m.get("id") or m.get("pseudo"):
            continue
        fixed = "damageCallback" in (m.get("handlers") or []) or bool(m.get("damage"))
        no_atk[i] = fixed or m.get("category") != "Physical"
    width = lambda k: max(len(r) for r in lists[k])
    return SetTables(
        species=np.asarray(sp, np.int32), level=np.asarray(lv, np.int32), types=np.asarray(ty, np.int32),
        weak=np.asarray(weak, bool), pool=_pad(lists["moves"], width("moves")),
        pool_n=np.asarray([len(r) for r in lists["moves"]], np.int32),
        excl=_pad(lists["exclusiveMoves"], width("exclusiveMoves")),
        excl_n=np.asarray([len(r) for r in lists["exclusiveMoves"]], np.int32),
        essential=_pad(lists["essentialMoves"], 4), essential_n=np.asarray([len(r) for r in lists["essentialMoves"]], np.int32),
        combo=_pad([c if len(c) <= 4 else [] for c in lists["comboMoves"]], 4), combo_n=combo_n,
        hp_ev_sub=np.asarray(hp_sub, np.int32), no_atk_move=no_atk,
        mimic=mid["mimic"], transform=mid["transform"], substitute=mid["substitute"])


# --- seeds ---------------------------------------------------------------------------------------
def _bswap(w):
    return ((w & U32(0xFF)) << U32(24)) | ((w & U32(0xFF00)) << U32(8)) | ((w >> U32(8)) & U32(0xFF00)) | (w >> U32(24))


def _hex_digits(x):
    """Hex digits of a uint32 (0 for 0): how many of 16^0..16^7 it reaches."""
    return sum((x >= U32(16 ** k)).astype(I32) for k in range(8))


def sodium_key_of_hex(hi, lo):
    """The key of seed ``sodium,<n in lowercase hex, no padding>`` for n = hi * 2^32 + lo: Showdown
    pads the hex string with zeros on the right to 64 digits, so n's digits lead the key."""
    hi, lo = jnp.asarray(hi, U32), jnp.asarray(lo, U32)
    digits = jnp.where(hi > 0, 8 + _hex_digits(hi), jnp.maximum(_hex_digits(lo), 1))
    shift = (4 * (16 - digits)).astype(U32)  # left shift of the 64-bit n, 0..60
    big = shift >= 32
    s = jnp.where(big, shift - 32, shift)
    safe = lambda x, k: jnp.where(k >= 32, U32(0), x << jnp.minimum(k, 31))
    down = lambda x, k: jnp.where(k == 0, U32(0), x >> jnp.minimum(32 - k, 31))
    top = jnp.where(big, safe(lo, s), safe(hi, s) | down(lo, s))
    bottom = jnp.where(big, U32(0), safe(lo, s))
    return jnp.concatenate([jnp.stack([_bswap(top), _bswap(bottom)]), jnp.zeros(6, U32)])


def battle_key(seed):
    """The key of battle seed ``sodium,<seed as 16 hex digits>`` (seed < 2^32)."""
    return jnp.concatenate([jnp.zeros(1, U32), _bswap(jnp.asarray(seed, U32))[None], jnp.zeros(6, U32)])


def team_keys(seed):
    """p1's and p2's team generator keys for reset(seed): seeds ``sodium,<hex(2*seed+1)>`` and
    ``sodium,<hex(2*seed+2)>`` (seed < 2^31)."""
    seed = jnp.asarray(seed, U32)
    out = []
    for k in (1, 2):
        lo = (seed << U32(1)) + U32(k)
        hi = (seed >> U32(31)) + (lo < U32(k)).astype(U32)
        out.append(sodium_key_of_hex(hi, lo))
    return jnp.stack(out)


# --- the generator -------------------------------------------------------------------------------
def _draw(key, lo, hi):
    key2, r = P.sodium_next_rolled(key)
    return key2, P.scale(r, lo, hi)


def _add(moves, size, m, m_on):
    """Set.add: append move ``m`` unless present (only where ``m_on``)."""
    present = jnp.any((moves == m) & (jnp.arange(4) < size))
    on = m_on & ~present & (size < 4)
    moves = jnp.where(on & (jnp.arange(4) == size), m, moves)
    return moves, size + on.astype(I32)


def random_set(tab: SetTables, key, e):
    """randomSet for data row ``e``: (key, moves[4] shuffled, number of moves, hp EV, no Attack)."""
    t = jax.tree.map(jnp.asarray, {k: getattr(tab, k) for k in (
        "pool", "pool_n", "excl", "excl_n", "essential", "essential_n", "combo", "combo_n", "no_atk_move")})
    moves, size = jnp.zeros(4, I32), jnp.zeros((), I32)
    has_combo = t["combo_n"][e] > 0
    k2, coin = _draw(key, 0, 2)
    key = jnp.where(has_combo, k2, key)
    take = has_combo & (coin < 1)
    for i in range(4):
        moves, size = _add(moves, size, t["combo"][e, i], take & (i < t["combo_n"][e]))
    has_excl = (size < 4) & (t["excl_n"][e] > 0)
    k2, k = _draw(key, 0, jnp.maximum(t["excl_n"][e], 1))
    key = jnp.where(has_excl, k2, key)
    moves, size = _add(moves, size, t["excl"][e, jnp.clip(k, 0, t["excl"].shape[1] - 1)], has_excl)
    for i in range(4):  # essential moves, stopping at four
        moves, size = _add(moves, size, t["essential"][e, i], (size < 4) & (i < t["essential_n"][e]))

    def more(c):
        _, _, size, _, plen = c
        return (size < 4) & (plen > 0)

    def pick(c):
        key, moves, size, pool, plen = c
        key, k = _draw(key, 0, plen)
        m = pool[k]
        pool = pool.at[k].set(pool[plen - 1])
        moves, size = _add(moves, size, m, jnp.ones((), bool))
        return key, moves, size, pool, plen - 1

    key, moves, size, _, _ = jax.lax.while_loop(more, pick, (key, moves, size, t["pool"][e], t["pool_n"][e]))
    for start in range(3):  # prng.shuffle: Fisher-Yates from the front, a draw in [start, n)
        on = start < size - 1
        k2, j = _draw(key, start, jnp.maximum(size, start + 1))
        key = jnp.where(on, k2, key)
        a, b = moves[start], moves[jnp.clip(j, 0, 3)]
        swapped = moves.at[jnp.clip(j, 0, 3)].set(a).at[start].set(b)
        moves = jnp.where(on, swapped, moves)
    held = jnp.arange(4) < size
    has = lambda m: jnp.any(held & (moves == m))
    no_atk = jnp.all(~held | t["no_atk_move"][moves]) & ~has(tab.mimic) & ~has(tab.transform)
    hp_ev = jnp.where(has(tab.substitute), jnp.asarray(tab.hp_ev_sub)[e], 255)
    return key, moves, size, hp_ev, no_atk


def generate(tab: SetTables, key) -> dict:
    """randomTeam from generator key ``key`` (uint32[8]): the team as arrays (species, level,
    moves [6, 4], ivs/evs [6, 6] in hp, atk, def, spa, spd, spe order)."""
    n_rows = tab.species.shape[0]
    key, _type = _draw(key, 0, N_TYPES_DRAWN)
    types_t, weak_t = jnp.asarray(tab.types), jnp.asarray(tab.weak)
    lvl_t = jnp.asarray(tab.level)
    zero6 = jnp.zeros(TEAM, I32)
    carry = dict(key=key, pool=jnp.arange(n_rows, dtype=I32), plen=jnp.asarray(n_rows, I32),
                 rej=jnp.zeros(n_rows, I32), rlen=jnp.zeros((), I32), count=jnp.zeros((), I32),
                 rows=zero6, moves=jnp.zeros((TEAM, 4), I32), hp_ev=zero6, no_atk=jnp.zeros(TEAM, bool),
                 type_count=jnp.zeros(32, I32), weak_count=jnp.zeros(6, I32), n_max=jnp.zeros((), I32))

    def more(c):
        return (c["count"] < TEAM) & ((c["plen"] > 0) | (c["rlen"] > 0))

    def pick(c):
        c = dict(c)
        first = c["plen"] > 0  # phase 1: the whole pool; phase 2: the rejected species
        n = jnp.where(first, c["plen"], c["rlen"])
        key, k = _draw(c["key"], 0, n)
        e = jnp.where(first, c["pool"][k], c["rej"][k])
        c["pool"] = jnp.where(first, c["pool"].at[k].set(c["pool"][c["plen"] - 1]), c["pool"])
        c["rej"] = jnp.where(first, c["rej"], c["rej"].at[k].set(c["rej"][c["rlen"] - 1]))
        c["plen"] = c["plen"] - first.astype(I32)
        c["rlen"] = c["rlen"] - (~first).astype(I32)
        ty = types_t[e]
        real = ty > 0
        over_type = jnp.any(real & (c["type_count"][ty] >= 2))
        over_weak = jnp.any(weak_t[e] & (c["weak_count"] >= 2))
        over_100 = (lvl_t[e] == 100) & (c["n_max"] >= 1)
        reject = first & (over_type | over_weak | over_100)
        c["rej"] = jnp.where(reject, c["rej"].at[c["rlen"]].set(e), c["rej"])
        c["rlen"] = c["rlen"] + reject.astype(I32)
        key2, moves, _size, hp_ev, no_atk = random_set(tab, key, e)
        accept = ~reject
        c["key"] = jnp.where(accept, key2, key)
        at = jnp.arange(TEAM) == c["count"]
        on = accept & at
        c["rows"] = jnp.where(on, e, c["rows"])
        c["moves"] = jnp.where(on[:, None], moves, c["moves"])
        c["hp_ev"] = jnp.where(on, hp_ev, c["hp_ev"])
        c["no_atk"] = jnp.where(on, no_atk, c["no_atk"])
        count_it = accept & first  # counts are kept in phase 1 only (phase 2 ignores them)
        c["type_count"] = c["type_count"].at[ty].add(jnp.where(real & count_it, 1, 0))
        c["weak_count"] = c["weak_count"] + (weak_t[e] & count_it).astype(I32)
        c["n_max"] = c["n_max"] + (count_it & (lvl_t[e] == 100)).astype(I32)
        c["count"] = c["count"] + accept.astype(I32)
        return c

    c = jax.lax.while_loop(more, pick, carry)
    ivs = jnp.full((TEAM, 6), 30, I32).at[:, 1].set(jnp.where(c["no_atk"], 2, 30))
    evs = jnp.full((TEAM, 6), 255, I32).at[:, 0].set(c["hp_ev"]).at[:, 1].set(jnp.where(c["no_atk"], 0, 255))
    return {"species": jnp.asarray(tab.species)[c["rows"]], "level": lvl_t[c["rows"]], "moves": c["moves"],
            "ivs": ivs, "evs": evs}

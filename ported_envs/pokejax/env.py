"""pokejax as an environment: legal masks, observation, reward, batched steps and scan rollouts.

``PokeJaxEnv`` holds the static parts (tables, PRNG kind, jitted functions); battle states are
dicts of jnp arrays laid out as ``layout.FIELDS`` (the port's own copy of the family contract).
"""
from __future__ import annotations

import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import engine, layout, prng, start, tables, teams

BUILD = Path(__file__).resolve().parent / "build"
FORMATS = ("gen1customgame", "gen1randombattle")
I32 = jnp.int32


def use_compile_cache():
    """Keep compiled engines on disk (build/jax_cache): the step takes about a minute to compile on
    2 cores, and the cache makes every later process (tests, the gate, the benchmark) start at once.
    Left alone when the process already chose a cache directory."""
    if not jax.config.jax_compilation_cache_dir:
        jax.config.update("jax_compilation_cache_dir", str(BUILD / "jax_cache"))


def legal_mask(st):
    """(2, 14) full-information legal actions, as Showdown's request + probing gives them."""
    rows = []
    for s in (0, 1):
        req = st["request"][s]
        hp, species = st["hp"][s], st["species"][s]
        bench = (jnp.arange(6) > 0) & (hp > 0) & (species > 0) & ~st["fainted"][s]
        status = st["status"][s, 0]
        vol = st["volatiles"][s]
        recharge = vol[engine.V_MUSTRECHARGE]
        locked = vol[engine.V_TWOTURN] | vol[engine.V_RAGE] | vol[engine.V_LOCKED]  # getLockedMove
        # getSemiLockedMove (partial trapping's lock) and gen 1's Fight (asleep, frozen, partially
        # trapped): a single Fight entry, unless maybeLocked hides the lock (the full move list)
        maybe = st["maybe_locked"][s, 0]
        fight = ~recharge & ~locked & (
            ((vol[engine.V_LOCK] | vol[engine.V_BIDE]) & ~maybe) | (status == engine.SLP) | (status == engine.FRZ)
            | (vol[engine.V_PT] & ~maybe))
        usable = (st["move_id"][s, 0] > 0) & (st["move_pp"][s, 0] > 0) & ~st["move_disabled"][s, 0]
        free = ~recharge & ~locked & ~fight
        moves = free & usable
        struggle = free & ~jnp.any(usable)
        can_switch = ~recharge & ~locked
        mv_mask = jnp.concatenate([
            moves, bench & can_switch,
            jnp.stack([recharge, struggle, ~recharge & (locked | fight), jnp.zeros((), bool)])])
        sw_mask = jnp.concatenate([jnp.zeros(4, bool), bench, jnp.zeros(3, bool), ~jnp.any(bench)[None]])
        wait = jnp.arange(14) == 13
        row = jnp.where(req == 1, mv_mask, jnp.where(req == 2, sw_mask, wait))
        rows.append(jnp.where(st["ended"], wait, row))
    return jnp.stack(rows)


def observation(st):
    """The observation: the fields of layout.OBS_FIELDS flattened and concatenated, as int32."""
    return jnp.concatenate([jnp.asarray(st[name], I32).reshape(-1) for name in layout.OBS_FIELDS])


def reward(st):
    w = st["winner"]
    return jnp.where(st["ended"], jnp.where(w == 0, 1.0, jnp.where(w == 1, -1.0, 0.0)), 0.0).astype(jnp.float32)


def to_jnp(state: dict) -> dict:
    return {k: jnp.asarray(v) for k, v in layout.as_numpy(state).items()}


def to_numpy(st) -> dict:
    return {name: np.asarray(st[name], dt) for name, dt, _ in layout.FIELDS}


class PokeJaxEnv:
    def __init__(self, format: str = "gen1customgame", prng_kind: str = "sodium", debug: bool = False):
        if format not in FORMATS:
            raise ValueError(f"pokejax: format {format!r} is not supported; supported: {FORMATS}")
        if prng_kind not in prng.KINDS:
            raise ValueError(f"pokejax: prng_kind {prng_kind!r} unknown; use one of {sorted(prng.KINDS)}")
        self.format, self.kind = format, prng.KINDS[prng_kind]
        use_compile_cache()
        self.data = layout.load_data()
        self.tables = tables.build(self.data)
        self.step = jax.jit(engine.make_step(self.tables, self.kind, debug=debug, format=format))
        # the unjitted batch step make_play scans (batched replays, rollouts, the benchmark)
        self.step_batch = engine.make_batch_step(self.tables, self.kind, debug=debug, format=format)
        self.legal = jax.jit(legal_mask)
        self.sets = teams.build(self.data)
        # reset in JAX: both teams from Showdown's gen-1 random-battle generator, then the start
        self.reset = jax.jit(lambda seed: start.reset(self.tables, self.sets, seed, self.kind))
        self.reset_batch = jax.jit(jax.vmap(lambda seed: start.reset(self.tables, self.sets, seed, self.kind)))
        self.start_with = jax.jit(lambda p1, p2, key: start.start_state(self.tables, (p1, p2), key, self.kind))

    # --- initial states ---------------------------------------------------------------------
    def initial_state(self, seed: int) -> dict:
        """reset(seed) (seed 0..2**31-1): see ``start.reset``."""
        if not 0 <= int(seed) < 2**31:
            raise ValueError(f"pokejax: reset({seed}): seeds are 0..2**31-1")
        return self.reset(jnp.asarray(int(seed), jnp.uint32))

    def initial_states(self, seeds) -> dict:
        """reset of many seeds at once: one stacked state (leading axis = battles)."""
        seeds = np.asarray(seeds, np.int64).reshape(-1)
        if seeds.size and (seeds.min() < 0 or seeds.max() >= 2**31):
            raise ValueError("pokejax: reset seeds are 0..2**31-1")
        return self.reset_batch(jnp.asarray(seeds, jnp.uint32))

    def custom_start(self, p1: dict, p2: dict, seed: int = 0) -> dict:
        """A battle between caller-given teams (arrays, as ``start`` describes them), its PRNG
        seeded as reset(seed) seeds it. Teams are checked first (``check_team``)."""
        for side, team in (("p1", p1), ("p2", p2)):
            self.check_team(team, side)
        return self.start_with(p1, p2, start.battle_key(jnp.asarray(int(seed), jnp.uint32), self.kind))

    def check_team(self, team: dict, side: str = "team") -> None:
        """A clear error for a team the engine cannot play exactly: shapes, ids out of range, empty
        slots before members, a member without moves, or a move whose mechanics pokejax does not
        implement yet (README, "Not covered")."""
        want = {"species": (6,), "level": (6,), "moves": (6, 4), "ivs": (6, 6), "evs": (6, 6)}
        arr = {}
        for k, shape in want.items():
            if k not in team:
                raise ValueError(f"pokejax: {side} team lacks {k!r} (arrays: species[6], level[6], moves[6,4], ivs[6,6], evs[6,6])")
            arr[k] = np.asarray(team[k])
            if arr[k].shape != shape:
                raise ValueError(f"pokejax: {side} team {k!r} has shape {arr[k].shape}; expected {shape}")
        sp, mv = arr["species"].astype(int), arr["moves"].astype(int)
        n_sp = len(self.tables.sp_types)
        if sp.min() < 0 or sp.max() >= n_sp or not (sp[0] > 0):
            raise ValueError(f"pokejax: {side} species must be dex numbers 1..{n_sp - 1} (0 = empty), lead first: {sp.tolist()}")
        real = sp > 0
        if np.any(real[1:] & ~real[:-1]):
            raise ValueError(f"pokejax: {side} has an empty slot before a member: {sp.tolist()}")
        if np.any(real & ((arr["level"] < 1) | (arr["level"] > 100))):
            raise ValueError(f"pokejax: {side} levels must be 1..100: {arr['level'].tolist()}")
        struggle = self.tables.ids["struggle"]
        if mv.min() < 0 or mv.max() >= struggle or np.any(real & (mv[:, 0] == 0)):
            raise ValueError(f"pokejax: {side} moves must be gen-1 move ids 1..{struggle - 1}, each member at least one: {mv.tolist()}")
        off = sorted({self.tables.names[m] for m in mv[real].ravel() if m and not self.tables.m_supported[m]})
        if off:
            raise ValueError(f"pokejax: {side} holds moves whose mechanics pokejax does not implement yet: {off} "
                             f"(ported_envs/pokejax/README.md, Not covered)")


# --- batched replays and native-policy rollouts (vmap over battles, lax.scan over steps) ----------
POLICIES = ("first", "random")  # the suite policies played natively in JAX
CHUNK = 64  # steps per compiled scan; longer runs call it again, so T never triggers a recompile


def make_play(step_batch, max_turns: int, record_states: bool, policy: str | None):
    """A jitted ``play(states, actions_or_keys) -> (states, per-step records)`` over a batch, with
    ``step_batch`` (``PokeJaxEnv.step_batch``) stepping all battles at once.

    ``policy=None`` replays given actions (T, B, 2); ``"first"``/``"random"`` choose them in JAX
    (random takes one PRNG key per battle and step: (T, B, 2) uint32). Records per step: actions,
    obs, reward, terminated, truncated, legal mask after the step, whether the action was legal,
    the PRNG-overflow flag, and (``record_states``) the canonical state."""
    legal_b = jax.vmap(legal_mask)

    def choose(mask, x):
        if policy is None:
            return x
        if policy == "first":
            return jnp.argmax(mask, axis=-1).astype(I32)
        logits = jnp.where(mask, 0.0, -jnp.inf)
        return jax.vmap(lambda k, lg: jax.random.categorical(k, lg, axis=-1))(x, logits).astype(I32)

    def body(st, x):
        mask = legal_b(st)
        a = choose(mask, x)
        ok = jnp.all(jnp.take_along_axis(mask, a[..., None], axis=-1)[..., 0], axis=-1)
        nst, (_tape, over) = step_batch(st, a)
        ended = nst["ended"]
        trunc = ~ended & (nst["turn"] >= max_turns)
        rec = {"actions": a, "obs": jax.vmap(observation)(nst), "reward": jax.vmap(reward)(nst),
               "terminated": ended, "truncated": trunc, "legal": legal_b(nst), "ok": ok, "overflow": over}
        if record_states:
            rec["states"] = nst
        return nst, rec

    return jax.jit(lambda states, xs: jax.lax.scan(body, states, xs))


def stack_states(states: list) -> dict:
    return {k: jnp.stack([jnp.asarray(s[k]) for s in states]) for k in states[0]}


def bucket(n: int, least: int = 1) -> int:
    """The power of two >= n (>= least): batch shapes come from a few buckets, bounding recompiles."""
    b = least
    while b < n:
        b *= 2
    return b


def play_chunks(play, states: dict, xs_fn, n_steps: int, n_live: int) -> dict:
    """Run ``play`` (from ``make_play``) CHUNK steps at a time from the stacked ``states`` until
    ``n_steps`` or until every one of the first ``n_live`` battles has ended or been truncated;
    ``xs_fn(t, batch)`` gives the chunk's actions or keys. Returns numpy records (T, B, ...)."""
    b = int(jax.tree.leaves(states)[0].shape[0])
    pieces, done = [], np.zeros(b, bool)
    done[n_live:] = True
    t = 0
    while t < n_steps and not done.all():
        states, rec = play(states, xs_fn(t, b))
        rec = jax.tree.map(np.asarray, rec)
        pieces.append(rec)
        done |= (rec["terminated"] | rec["truncated"]).any(axis=0)
        t += CHUNK
    return jax.tree.map(lambda *x: np.concatenate(x)[:n_steps], *pieces)


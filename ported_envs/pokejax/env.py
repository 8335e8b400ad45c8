"""pokejax as an environment: legal masks, observation, reward, batched steps and scan rollouts.

``PokeJaxEnv`` holds the static parts (tables, PRNG kind, jitted functions); battle states are the
canonical dicts of ``suites/pokemon/schema.py`` as jnp arrays.
"""
from __future__ import annotations

import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import engine, prng, tables
from suites.pokemon import schema

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
        locked = vol[engine.V_TWOTURN]
        sleepy = (status == engine.SLP) | (status == engine.FRZ)
        usable = (st["move_id"][s, 0] > 0) & (st["move_pp"][s, 0] > 0) & ~st["move_disabled"][s, 0]
        free = ~recharge & ~locked & ~sleepy
        moves = free & usable
        struggle = free & ~jnp.any(usable)
        can_switch = ~recharge & ~locked
        mv_mask = jnp.concatenate([
            moves, bench & can_switch,
            jnp.stack([recharge, struggle, ~recharge & (locked | sleepy), jnp.zeros((), bool)])])
        sw_mask = jnp.concatenate([jnp.zeros(4, bool), bench, jnp.zeros(3, bool), ~jnp.any(bench)[None]])
        wait = jnp.arange(14) == 13
        row = jnp.where(req == 1, mv_mask, jnp.where(req == 2, sw_mask, wait))
        rows.append(jnp.where(st["ended"], wait, row))
    return jnp.stack(rows)


def observation(st):
    """schema.observation, on jnp arrays: the concatenation in schema.OBS_LAYOUT order."""
    return jnp.concatenate([jnp.asarray(st[name], I32).reshape(-1) for name, _ in schema.OBS_LAYOUT])


def reward(st):
    w = st["winner"]
    return jnp.where(st["ended"], jnp.where(w == 0, 1.0, jnp.where(w == 1, -1.0, 0.0)), 0.0).astype(jnp.float32)


def to_jnp(state: dict) -> dict:
    return {f.name: jnp.asarray(np.asarray(state[f.name], f.np_dtype).reshape(f.shape)) for f in schema.STATE}


def to_numpy(st) -> dict:
    return {f.name: np.asarray(st[f.name], f.np_dtype) for f in schema.STATE}


class PokeJaxEnv:
    def __init__(self, format: str = "gen1customgame", prng_kind: str = "sodium", debug: bool = False):
        if format not in FORMATS:
            raise ValueError(f"pokejax: format {format!r} is not supported; supported: {FORMATS}")
        if prng_kind not in prng.KINDS:
            raise ValueError(f"pokejax: prng_kind {prng_kind!r} unknown; use one of {sorted(prng.KINDS)}")
        self.format, self.kind = format, prng.KINDS[prng_kind]
        use_compile_cache()
        self.tables = tables.build(schema.load_data())
        self.step = jax.jit(engine.make_step(self.tables, self.kind, debug=debug, format=format))
        # the unjitted batch step make_play scans (batched replays, rollouts, the benchmark)
        self.step_batch = engine.make_batch_step(self.tables, self.kind, debug=debug, format=format)
        self.legal = jax.jit(legal_mask)
        self._starts = None

    # --- initial states ---------------------------------------------------------------------
    def starts(self) -> list:
        if self._starts is None:
            path = BUILD / f"starts_{self.format}.json"
            if not path.is_file():
                raise FileNotFoundError(f"pokejax: {path} is missing; run ./dev.sh setup "
                                        f"(or bash ported_envs/pokejax/setup.sh)")
            self._starts = json.loads(path.read_text())["states"]
        return self._starts

    def initial_state(self, seed: int) -> dict:
        pool = self.starts()
        if not 0 <= int(seed) < len(pool):
            raise ValueError(f"pokejax: reset({seed}): initial states exist for seeds 0..{len(pool) - 1}; "
                             f"raise POKEJAX_STARTS and re-run ported_envs/pokejax/setup.sh")
        return to_jnp(pool[int(seed)])


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

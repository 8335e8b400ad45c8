"""tcgjax as an environment: compiled single steps and batched runs, with numpy in and out.

``TcgJaxEnv(rules)`` holds one engine's jitted functions (shared by every instance with the same
rules, so adapters and tests compile once per process). Batched runs go through ``run_batch``:
starts (seeds or §9.1 states) are stacked into a power-of-two batch and stepped in ``CHUNK``-long
scans until every game has used its actions (replays) or ended (rollouts).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.tcgjax import cards, play, views
from ported_envs.tcgjax.engine import Engine
from ported_envs.tcgjax.rules import Rules
from ported_envs.tcgjax.state import FIELD_NAMES, from_numpy, to_numpy

CHUNK = 128     # decisions per compiled scan; most games end within one
_CACHE: dict = {}
BUILD = Path(__file__).resolve().parent / "build"


def use_compile_cache():
    """Keep compiled programs on disk (ported_envs/tcgjax/build/jax_cache) so later processes (tests, the
    gate, the benchmark) skip most of the compile. Left alone when the process chose a cache already."""
    if not jax.config.jax_compilation_cache_dir:
        jax.config.update("jax_compilation_cache_dir", str(BUILD / "jax_cache"))


class TcgJaxEnv:
    def __new__(cls, rules: Rules = Rules()):
        if rules not in _CACHE:
            obj = super().__new__(cls)
            obj._build(rules)
            _CACHE[rules] = obj
        return _CACHE[rules]

    def _build(self, rules):
        use_compile_cache()
        self.rules = rules
        self.E = E = Engine(rules)
        self.reset = jax.jit(E.reset)
        self.reset_batch = jax.jit(jax.vmap(E.reset, in_axes=(0, None, None, None)))
        self.reset_each = jax.jit(jax.vmap(E.reset))        # a deck pair per game
        self.mask = jax.jit(partial(views.legal_mask, E))
        self.mask_batch = jax.jit(jax.vmap(partial(views.legal_mask, E)))

        def outputs(s):
            actor = E.actor(s)
            return {"view": views.observe(E, s, jnp.clip(actor, 0, 1)), "actor": actor,
                    "legal": views.legal_mask(E, s)}

        def step(s, a):
            s2, reward = E.step(s, a)
            return s2, reward, outputs(s2)

        self.outputs = jax.jit(outputs)
        self.step = jax.jit(step)
        self._plays = {}

    def player(self, policy, record_states: bool):
        key = (policy, record_states)
        if key not in self._plays:
            self._plays[key] = play.make_play(self.E, policy, record_states)
        return self._plays[key]

    # --- batched runs -------------------------------------------------------------------------
    def start_states(self, starts, decks) -> dict:
        """A stacked batch (power-of-two size) of initial states: seeds are reset with ``decks`` (two deck
        names), dicts are §9.1 states. Padding repeats the first start."""
        n = len(starts)
        rows: list = [None] * n
        seeded = [i for i, s in enumerate(starts) if not isinstance(s, dict)]
        if seeded:
            seeds = np.array([int(starts[i]) & 0xFFFFFFFF for i in seeded], np.uint32)
            m = play.bucket(len(seeds))
            seeds = np.concatenate([seeds, np.repeat(seeds[:1], m - len(seeds))])
            reset = jax.tree.map(np.asarray, self.reset_batch(jnp.asarray(seeds), *cards.deck_arrays(*decks)))
            for j, i in enumerate(seeded):
                rows[i] = {k: reset[k][j] for k in FIELD_NAMES}
        for i, s in enumerate(starts):
            if isinstance(s, dict):
                rows[i] = to_numpy(from_numpy(s, f"start {i}"))
        rows += [rows[0]] * (play.bucket(n) - n)
        return {k: jnp.asarray(np.stack([r[k] for r in rows])) for k in FIELD_NAMES}

    def run_batch(self, batch, n: int, policy, xs_for, limit: int, record_states: bool) -> dict:
        """Step ``batch`` in CHUNK-long scans for at most ``limit`` decisions (the first ``n`` games count);
        ``xs_for(t0, steps)`` gives the scan inputs for decisions t0.. t0+steps-1. Returns numpy records
        (T, n, ...)."""
        masks = self.mask_batch(batch)
        run = self.player(policy, record_states)
        pieces, t = [], 0
        while t < limit:
            (batch, masks, _), rec = run(batch, masks, xs_for(t, CHUNK))
            rec = jax.tree.map(lambda x: np.asarray(x)[:, :n], rec)
            pieces.append(rec)
            t += CHUNK
            if rec["terminated"][-1].all():
                break
        out = jax.tree.map(lambda *x: np.concatenate(x)[:limit], *pieces)
        return out


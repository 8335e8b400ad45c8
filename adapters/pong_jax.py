"""Adapter for ``pong_jax``, the JAX port of PufferLib's C Pong (ported_envs/pong_jax).

Single steps go through a jitted ``step``; ``replays`` and ``rollouts`` run a whole batch
of episodes in one ``vmap`` + ``lax.scan`` call (time padded to a power of two, so a few
compiled shapes serve every call). The ``random`` and ``tracker`` policies of the pong
suite run natively in JAX; any other policy falls back to the plain Python loop.

Numerics: the port is bit-exact with no XLA flag (ported_envs/pong_jax/numerics.py);
``provenance()`` records that and the XLA_FLAGS the process runs with.
"""
from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path

import numpy as np

from equiv import Adapter, Step, Trajectory

_PORT_DIR = Path(__file__).resolve().parent.parent / "ported_envs" / "pong_jax"
ROLLOUT_CHUNK = 1024  # steps per scan call when playing until every episode has ended
_CACHE: dict = {}  # compiled functions, shared by every adapter of the same rules module


def _bucket(n: int, least: int = 1) -> int:
    """The next power of two >= n: few distinct shapes, few compilations."""
    return max(least, 1 << max(0, int(n) - 1).bit_length())


class PongJax(Adapter):
    family = "pong"
    randomness = "glibc-rand"
    role = "ported"
    requires = ("jax",)

    # The module holding the rules (reset, step, PongState, FIELDS): tests swap in
    # deliberately broken copies to show the gate catches them.
    env_module = "ported_envs.pong_jax.env"

    def __init__(self, **config):
        super().__init__(**config)
        import importlib

        import jax
        from ported_envs.pong_jax import make_params

        self._jax = jax
        self._port = importlib.import_module(self.env_module)
        self.params = make_params(**config)  # ValueError names a bad setting
        self.continuous = self.params.continuous
        self._reset, self._step, self._replay = _compiled(self.env_module, self._port)
        self._state = None

    # --- the contract ---------------------------------------------------------
    def _action(self, action):
        if self.continuous:
            a = np.asarray(action, np.float32).reshape(-1)
            if a.size != 1:
                raise ValueError(f"continuous Pong takes one float per step, got {action!r}")
            return a[0]
        return np.int32(action)

    def reset(self, seed: int):
        self._state = self._reset(np.uint32(int(seed) & 0xFFFFFFFF), self.params)
        return np.asarray(self._state.obs)

    def step(self, action) -> Step:
        if self._state is None:
            raise RuntimeError("pong_jax: call reset(seed) or set_state() before step()")
        obs, self._state, reward, done = self._step(self._state, self._action(action), self.params)
        return Step(np.asarray(obs), np.float32(reward), bool(done), False)

    def get_state(self) -> dict:
        if self._state is None:
            raise RuntimeError("pong_jax: no state yet; call reset(seed) first")
        return {k: np.asarray(getattr(self._state, k)) for k in self._port.FIELDS}

    def set_state(self, state) -> None:
        # The port's own state (a reset one) gives each field's dtype and shape; the suite's schema
        # is the contract, and tests/pong/test_contract.py checks that the two agree.
        template = self._template()
        if set(state) != set(template):
            raise ValueError(f"Pong state needs exactly the fields {sorted(template)}; got {sorted(state)}")
        fields = {}
        for k, like in template.items():
            v = np.asarray(state[k]).astype(like.dtype)
            if v.shape != like.shape:
                raise ValueError(f"Pong state field {k!r} must have shape {like.shape}, got {v.shape}")
            fields[k] = v
        self._state = self._port.PongState(**fields)

    def _template(self) -> dict:
        if not hasattr(self, "_fields_like"):
            start = self._reset(np.uint32(0), self.params)
            self._fields_like = {k: np.asarray(getattr(start, k)) for k in self._port.FIELDS}
        return self._fields_like

    def provenance(self) -> dict:
        digest = hashlib.sha256()
        for path in sorted(_PORT_DIR.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
        return {"name": "pong_jax", "version": "0.1.0", "hash": digest.hexdigest(),
                "jax": self._jax.__version__, "backend": self._jax.default_backend(),
                "numerics": "exact float32 by construction (exact_div, rounded); no XLA flag needed",
                "XLA_FLAGS": os.environ.get("XLA_FLAGS", ""),
                "config": {k: (v.item() if isinstance(v, np.ndarray) else v)
                           for k, v in vars(self.params).items()}}

    # --- batched play ---------------------------------------------------------------
    def _start_batch(self, starts):
        """Stacked initial states for a list of seeds and/or state dicts."""
        jax, port = self._jax, self._port
        rows = []
        for s in starts:
            if isinstance(s, dict):
                self.set_state(s)
            else:
                self._state = self._reset(np.uint32(int(s) & 0xFFFFFFFF), self.params)
            rows.append(self._state)
        return jax.tree.map(lambda *xs: np.stack([np.asarray(x) for x in xs]), *rows)

    def _pad_batch(self, state, n):
        b = _bucket(n)
        return self._jax.tree.map(lambda x: np.concatenate([x, np.repeat(x[:1], b - n, 0)]), state)

    def replays(self, starts, actions, record_states: bool = True) -> list[Trajectory]:
        n = len(starts)
        if n == 0:
            return []
        lengths = [len(a) for a in actions]
        t_pad = _bucket(max(lengths), 16)
        width = self._pad_batch(self._start_batch(starts), n)
        b = width.tick.shape[0]
        dtype = np.float32 if self.continuous else np.int32
        acts = np.zeros((t_pad, b), dtype)
        for i, a in enumerate(actions):
            a = np.asarray(a, dtype).reshape(len(a))
            acts[: len(a), i] = a
        obs, reward, done, states = self._replay(width, acts, self.params, record_states=record_states)
        obs, reward, done = np.asarray(obs), np.asarray(reward), np.asarray(done)
        states = None if states is None else {k: np.asarray(getattr(states, k)) for k in self._port.FIELDS}
        out = []
        for i, start in enumerate(starts):
            stop = np.flatnonzero(done[: lengths[i], i])
            t = int(stop[0]) + 1 if stop.size else lengths[i]
            out.append(self._trajectory(None if isinstance(start, dict) else int(start),
                                        np.asarray(actions[i])[:t], obs[:t, i], reward[:t, i], done[:t, i],
                                        None if states is None else {k: v[:t, i] for k, v in states.items()}))
        return out

    def replay(self, start, actions, record_states: bool = True) -> Trajectory:
        return self.replays([start], [actions], record_states)[0]

    @staticmethod
    def _trajectory(seed, actions, obs, reward, done, states) -> Trajectory:
        outputs = {"obs": obs, "reward": reward, "terminated": done.astype(bool),
                   "truncated": np.zeros(len(done), bool)}
        return Trajectory(seed, actions, outputs, states)

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
        native = _native_policy(policy.name, self.continuous)
        if native is None:
            return [self.rollout(seed, policy, max_steps, record_states) for seed in seeds]
        return self._native_rollouts(list(seeds), policy.name, native, int(max_steps), record_states)

    def _native_rollouts(self, seeds, name, native, max_steps, record_states):
        jax = self._jax
        n = len(seeds)
        if n == 0:
            return []
        state = self._pad_batch(self._start_batch(seeds), n)
        b = state.tick.shape[0]
        keys = np.zeros(b, np.uint32)
        keys[:n] = np.asarray(seeds, np.int64) & 0xFFFFFFFF
        chunk = min(ROLLOUT_CHUNK, _bucket(max_steps, 16))
        run = _chunk_runner(self.env_module, self._port.step, (name, self.continuous), native, chunk,
                            record_states)
        pieces, ended, t = [], np.zeros(b, bool), 0
        ended[n:] = True
        while t < max_steps and not ended.all():
            state, out = run(state, keys, np.int32(t), self.params)
            out = jax.tree.map(np.asarray, out)
            pieces.append(out)
            ended |= out[3].any(axis=0)
            t += chunk
        acts, obs, reward, done = (np.concatenate([p[i] for p in pieces]) for i in range(4))
        states = None
        if record_states:
            states = {k: np.concatenate([getattr(p[4], k) for p in pieces]) for k in self._port.FIELDS}
        trajs = []
        for i, seed in enumerate(seeds):
            stop = np.flatnonzero(done[:max_steps, i])
            length = int(stop[0]) + 1 if stop.size else min(max_steps, len(done))
            trajs.append(self._trajectory(int(seed), acts[:length, i], obs[:length, i], reward[:length, i],
                                          done[:length, i],
                                          None if states is None else {k: v[:length, i] for k, v in states.items()}))
        return trajs


def _compiled(module_name, env):
    """jitted (reset, step, batched replay) for one rules module, shared by its adapters."""
    key = ("compiled", module_name)
    if key not in _CACHE:
        import jax
        from jax import lax
        batch_step = jax.vmap(env.step, in_axes=(0, 0, None))

        def replay(state, actions, params, record_states):
            def body(s, a):
                obs, s, reward, done = batch_step(s, a, params)
                return s, (obs, reward, done, s if record_states else None)
            return lax.scan(body, state, actions)[1]

        _CACHE[key] = (jax.jit(env.reset), jax.jit(env.step),
                       jax.jit(replay, static_argnames=("record_states",)))
    return _CACHE[key]


# --- the pong suite's policies, in JAX ---------------------------------------------------
# The tracker is bit-identical to suites/pong/policies.py; random draws its own stream
# (statistics give each side its own seeds anyway).

def _native_policy(name: str, continuous: bool):
    import jax
    import jax.numpy as jnp
    from suites.pong.policies import TRACKER_DEADBAND, geometry

    g = geometry()
    if name == "random":
        if continuous:
            return lambda obs, key: jax.random.uniform(key, (), jnp.float32, -1.0, 1.0)
        return lambda obs, key: jax.random.randint(key, (), 0, 3, jnp.int32)
    if name == "tracker":
        from ported_envs.pong_jax.numerics import rounded
        f = jnp.float32
        offset = np.float32(g["min_paddle_y"] + g["half_paddle"])

        def gap(obs):  # the same float32 operations as suites/pong/policies.py, unfused
            paddle = rounded(obs[1] * f(g["paddle_span"])) + offset
            ball = rounded(obs[3] * f(g["height"])) + f(g["half_ball"])
            return ball - paddle
        if continuous:
            return lambda obs, key: jnp.clip(gap(obs) / f(g["paddle_speed"]), f(-1), f(1))
        return lambda obs, key: jnp.where(gap(obs) > TRACKER_DEADBAND, 1,
                                          jnp.where(gap(obs) < -TRACKER_DEADBAND, 2, 0)).astype(jnp.int32)
    return None


def _chunk_runner(module_name, step, name, native, chunk, record_states):
    key = (module_name, name, chunk, record_states)
    if key not in _CACHE:
        import jax
        from jax import lax
        batch_step = jax.vmap(step, in_axes=(0, 0, None))

        def run(state, seeds, t0, params):
            base = jax.vmap(lambda s: jax.random.fold_in(jax.random.key(0x5EED), s))(seeds)

            def body(s, t):
                keys = jax.vmap(jax.random.fold_in, (0, None))(base, t)
                a = jax.vmap(native)(s.obs, keys)
                obs, s, reward, done = batch_step(s, a, params)
                return s, (a, obs, reward, done, s if record_states else None)

            return lax.scan(body, state, t0 + jax.numpy.arange(chunk, dtype=jax.numpy.int32))

        _CACHE[key] = jax.jit(run)
    return _CACHE[key]


def _throughput(config: dict, batch: int, seconds: float) -> dict:
    """Agent steps/s of ``batch`` envs under ``lax.scan`` (one jitted call runs ``steps``
    steps; compile time is measured apart). Actions come from a cheap integer hash of
    (step, env) so the policy costs almost nothing, like the C side's action cache."""
    import time

    import jax
    import jax.numpy as jnp
    from jax import lax

    from ported_envs.pong_jax import make_params
    from ported_envs.pong_jax.rollout import batch_reset, batch_step

    params = make_params(**config)
    steps = int(max(16, min(20_000, 4_000_000 // batch)))

    def actions(t):
        h = (jnp.arange(batch, dtype=jnp.uint32) * jnp.uint32(40503) + t.astype(jnp.uint32) * jnp.uint32(2654435761)) >> 16
        a = (h % 3).astype(jnp.int32)
        return (a - 1).astype(jnp.float32) if params.continuous else a

    def run(state):
        def body(carry, t):
            s, total = carry
            _, s, reward, _ = batch_step(s, actions(t), params)
            return (s, total + reward), None
        (s, total), _ = lax.scan(body, (state, jnp.zeros(batch, jnp.float32)), jnp.arange(steps))
        return s, total

    state = batch_reset(np.arange(batch, dtype=np.uint32), params)
    fn = jax.jit(run, donate_argnums=0)
    t0 = time.perf_counter()
    compiled = fn.lower(state).compile()
    compile_s = time.perf_counter() - t0
    state, total = compiled(state)
    jax.block_until_ready(total)
    calls, start = 0, time.perf_counter()
    while True:
        state, total = compiled(state)
        jax.block_until_ready(total)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    return {"steps_per_s": batch * steps * calls / elapsed, "compile_s": compile_s}


PongJax.throughput = staticmethod(_throughput)

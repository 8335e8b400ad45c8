"""Adapter for ``halfcheetah_jax``, our pure-JAX HalfCheetah (ported_envs/halfcheetah_jax).

Variants set ``precision``: ``float64`` (the default) or ``float32``. JAX's x64 switch is
process-wide, so every call into JAX runs inside ``jax.enable_x64(precision == "float64")``:
a float64 adapter and a float32 adapter live side by side in one process, each compiling
and running in its own precision, whatever the global flag says.

Single steps go through a jitted ``step``; ``replays`` and ``rollouts`` run through one
compiled ``vmap`` + ``lax.scan`` program of fixed shape (:data:`LANES` envs x :data:`CHUNK`
steps per call, looped on the host), and replays of at most :data:`SHORT` steps (the
lockstep's teacher-forced segments, ``sync_every`` = 5) through the same program :data:`SHORT`
steps long, so any number of episodes of any length costs three compilations in all (cached
on disk across processes, see ``env.use_compile_cache``).
``random`` and ``gait`` (the suite's policies) are drawn inside that program; any other
policy falls back to the Python loop. Resets from a seed draw
Gymnasium's exact noise on the host (numpy's PCG64, emulated without numpy.random).

Canonical state: qpos, qvel, qacc_warmstart, ctrl, time (float64; a float32 run converts
exactly on the way out and rounds on the way in) and steps (int64).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, ClassVar

import numpy as np

from equiv import Adapter, Step, Trajectory

_PORT_DIR = Path(__file__).resolve().parent.parent / "ported_envs" / "halfcheetah_jax"
PRECISIONS = {"float64": True, "float32": False}  # precision -> x64
LANES, CHUNK = 32, 32  # the batched program's shape: envs per call, steps per call
SHORT = 8  # steps per call for short replays (5-step lockstep segments would waste 27 of 32)
REPLAY, RANDOM, GAIT = 0, 1, 2  # what a lane plays
NATIVE = {"random": RANDOM, "gait": GAIT}  # the suite's policies, drawn inside the program
_CACHE: dict = {}


class HalfCheetahJax(Adapter):
    family = "halfcheetah"
    randomness = "numpy-pcg64"
    role = "ported"
    requires = ("jax",)
    deterministic_step = True

    # Tests build deliberately broken ports by overriding these (tests/halfcheetah/mutants.py):
    # a transform of the model's values, and settings of the env (e.g. eulerdamp=False).
    model_transform: ClassVar[Callable | None] = None
    env_settings: ClassVar[dict] = {}
    mutation: ClassVar[str] = ""  # a name for the compiled-function cache and provenance

    @classmethod
    def missing(cls) -> str | None:
        problem = super().missing()
        if problem:
            return problem
        from ported_envs.halfcheetah_jax import model, pcg64
        for path in (model.MODEL_JSON, pcg64.ZIGGURAT_JSON):
            if not path.is_file():
                return f"{path} is missing (generated at set-up); run ./dev.sh setup"
        return None

    def __init__(self, precision: str = "float64", **config):
        if config:
            raise ValueError(f"halfcheetah_jax takes only 'precision'; unknown settings {sorted(config)}")
        if precision not in PRECISIONS:
            raise ValueError(f"halfcheetah_jax: precision must be one of {sorted(PRECISIONS)}, got {precision!r}")
        super().__init__(precision=precision)
        import jax
        self._jax = jax
        self.precision = precision
        self.x64 = PRECISIONS[precision]
        self.dtype = np.dtype(precision)
        self.params, self._fns = _compiled(type(self), self.x64, self.dtype)
        self._state = None

    # --- helpers ---------------------------------------------------------------------
    def _in(self):
        return self._jax.enable_x64(self.x64)

    @staticmethod
    def _action(action) -> np.ndarray:
        a = np.asarray(action, np.float32).reshape(-1)
        if a.shape != (6,):
            raise ValueError(f"HalfCheetah takes 6 actions per step, got shape {np.shape(action)}")
        return a

    def _to_env(self, state: dict):
        from ported_envs.halfcheetah_jax import EnvState
        want = {"qpos": (9,), "qvel": (9,), "qacc_warmstart": (9,), "ctrl": (6,), "time": (), "steps": ()}
        if set(state) != set(want):
            raise ValueError(f"HalfCheetah state needs exactly the fields {sorted(want)}; got {sorted(state)}")
        fields = {}
        for k, shape in want.items():
            v = np.asarray(state[k])
            if v.shape != shape:
                raise ValueError(f"HalfCheetah state field {k!r} must have shape {shape}, got {v.shape}")
            fields[k] = v.astype(np.int32) if k == "steps" else v.astype(np.float64).astype(self.dtype)
        with self._in():
            return EnvState(**{k: self._jax.numpy.asarray(v) for k, v in fields.items()})

    @staticmethod
    def _from_env(s, index=None) -> dict:
        pick = (lambda x: np.asarray(x)) if index is None else (lambda x: np.asarray(x)[index])
        out = {k: pick(getattr(s, k)).astype(np.float64) for k in ("qpos", "qvel", "qacc_warmstart", "ctrl", "time")}
        out["steps"] = pick(s.steps).astype(np.int64)
        return out

    def _reset_state(self, seed: int):
        from ported_envs.halfcheetah_jax import reset_from_seed
        with self._in():
            return reset_from_seed(int(seed), self.params)[1]

    # --- the contract ----------------------------------------------------------------
    def reset(self, seed: int):
        self._state = self._reset_state(seed)
        return np.concatenate([np.asarray(self._state.qpos)[1:], np.asarray(self._state.qvel)]).astype(np.float64)

    def step(self, action) -> Step:
        if self._state is None:
            raise RuntimeError("halfcheetah_jax: call reset(seed) or set_state() before step()")
        with self._in():
            obs, self._state, reward, terminated, truncated, _ = self._fns["step"](self._state, self._action(action))
        return Step(np.asarray(obs, np.float64), np.float64(reward), bool(terminated), bool(truncated))

    def get_state(self) -> dict:
        if self._state is None:
            raise RuntimeError("halfcheetah_jax: no state yet; call reset(seed) first")
        return self._from_env(self._state)

    def set_state(self, state) -> None:
        self._state = self._to_env(state)

    def provenance(self) -> dict:
        digest = hashlib.sha256()
        for path in sorted(_PORT_DIR.glob("*.py")) + [_PORT_DIR / "build" / "model.json"]:
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
        import jax
        return {"name": "halfcheetah_jax", "version": "0.1.0", "hash": digest.hexdigest(),
                "precision": self.precision, "jax": jax.__version__, "backend": jax.default_backend(),
                "mutation": self.mutation or None, "XLA_FLAGS": os.environ.get("XLA_FLAGS", ""),
                "numerics": "MuJoCo's algorithms in JAX; float64 agrees with MuJoCo C to ~1e-12 per step"}

    # --- batched play ----------------------------------------------------------------------
    # Every batched call runs one compiled program: LANES envs for CHUNK (or SHORT) steps, each lane
    # replaying given actions or drawing its policy's actions inside the scan. Larger batches
    # and longer runs loop on the host, so no input size ever triggers another compilation.
    def _start_states(self, starts) -> list:
        return [self._to_env(s) if isinstance(s, dict) else self._reset_state(s) for s in starts]

    def _play(self, states: list, actions, mode: int, seeds, steps: int):
        """Run ``steps`` steps from each state; actions (n, steps, 6) when mode is REPLAY.
        Returns (actions, obs, reward, truncated, states) as (n, steps, ...) host arrays."""
        n = len(states)
        length = SHORT if steps <= SHORT else CHUNK
        out = {k: [] for k in ("a", "obs", "reward", "truncated", "state")}
        for lo in range(0, n, LANES):
            group = states[lo:lo + LANES]
            width = len(group)
            group = group + [group[0]] * (LANES - width)
            state = self._jax.tree.map(lambda *xs: np.stack([np.asarray(x) for x in xs]), *group)
            lane_seeds = np.zeros(LANES, np.uint32)
            lane_seeds[:width] = np.asarray(seeds[lo:lo + width], np.int64) & 0xFFFFFFFF
            pieces = []
            for t0 in range(0, steps, length):
                acts = np.zeros((length, LANES, 6), np.float32)
                if actions is not None:
                    part = actions[lo:lo + width, t0:t0 + length]  # (width, <=length, 6)
                    acts[: part.shape[1], :width] = np.swapaxes(part, 0, 1)
                with self._in():
                    state, rec = self._fns["chunk"](state, acts, np.int32(mode), lane_seeds, np.int32(t0))
                pieces.append(self._jax.tree.map(np.asarray, rec))
            cat = lambda i: np.concatenate([p[i] for p in pieces])[:steps, :width]  # noqa: E731
            out["a"].append(cat(0))
            out["obs"].append(cat(1))
            out["reward"].append(cat(2))
            out["truncated"].append(cat(3))
            out["state"].append(type(pieces[0][4])(*[np.concatenate([getattr(p[4], f) for p in pieces])[:steps, :width]
                                                     for f in pieces[0][4]._fields]))
        join = lambda xs: np.swapaxes(np.concatenate(xs, axis=1), 0, 1)  # noqa: E731
        st = type(out["state"][0])(*[join([getattr(x, f) for x in out["state"]]) for f in out["state"][0]._fields])
        return join(out["a"]), join(out["obs"]), join(out["reward"]), join(out["truncated"]), st

    def replays(self, starts, actions, record_states: bool = True) -> list[Trajectory]:
        if not starts:
            return []
        lengths = [len(a) for a in actions]
        steps = max(max(lengths), 1)
        acts = np.zeros((len(starts), steps, 6), np.float32)
        for i, a in enumerate(actions):
            if len(a):
                acts[i, : len(a)] = np.asarray(a, np.float32).reshape(len(a), 6)
        _, obs, reward, truncated, states = self._play(self._start_states(starts), acts, REPLAY,
                                                       [0] * len(starts), steps)
        out = []
        for i, start in enumerate(starts):
            stop = np.flatnonzero(truncated[i, : lengths[i]])
            t = int(stop[0]) + 1 if stop.size else lengths[i]
            st = self._from_env(states, (i, slice(0, t))) if record_states else None
            out.append(_trajectory(None if isinstance(start, dict) else int(start), acts[i, :t].copy(),
                                   obs[i, :t].astype(np.float64), reward[i, :t].astype(np.float64),
                                   truncated[i, :t], st))
        return out

    def replay(self, start, actions, record_states: bool = True) -> Trajectory:
        return self.replays([start], [actions], record_states)[0]

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
        if policy.name not in NATIVE:
            return [self.rollout(seed, policy, max_steps, record_states) for seed in seeds]
        seeds = [int(s) for s in seeds]
        if not seeds:
            return []
        horizon = min(int(max_steps), self.params.max_episode_steps)
        acts, obs, reward, truncated, states = self._play(self._start_states(seeds), None, NATIVE[policy.name],
                                                          seeds, horizon)
        return [_trajectory(seed, acts[i], obs[i].astype(np.float64), reward[i].astype(np.float64),
                            truncated[i], self._from_env(states, (i, slice(None))) if record_states else None)
                for i, seed in enumerate(seeds)]

    # --- benchmark hook (suites/halfcheetah/bench.py) ------------------------------------------
    @classmethod
    def throughput(cls, batch: int, seconds: float, precision: str = "float32", steps: int | None = None) -> dict:
        """Env steps/s of ``batch`` envs under ``jit`` + ``lax.scan`` of ``env.batch_step`` (vmap, in
        groups of 256 envs beyond 256) over ``steps`` env steps per call (default: 64, fewer for
        big batches), uniform random actions drawn inside the scan; compile time apart."""
        import time

        import jax
        steps = steps or max(2, min(64, 16384 // batch))
        x64 = PRECISIONS[precision]
        with jax.enable_x64(x64):
            params, fns = _compiled(cls, x64, np.dtype(precision))
            from ported_envs.halfcheetah_jax import reset_from_seed
            rows = [reset_from_seed(s, params)[1] for s in range(batch)]
            state = jax.tree.map(lambda *xs: np.stack([np.asarray(x) for x in xs]), *rows)
            keys = np.arange(batch, dtype=np.uint32)
            run = _bench_runner(cls, x64, np.dtype(precision), steps)
            t0 = time.perf_counter()
            compiled = run.lower(state, keys, np.int32(0)).compile()
            compile_s = time.perf_counter() - t0
            state, total = compiled(state, keys, np.int32(0))
            jax.block_until_ready(total)
            calls, start = 0, time.perf_counter()
            while True:
                state, total = compiled(state, keys, np.int32(calls))
                jax.block_until_ready(total)
                calls += 1
                elapsed = time.perf_counter() - start
                if elapsed >= seconds:
                    break
        return {"steps_per_s": batch * steps * calls / elapsed, "compile_s": compile_s}


def warm_compile_cache(precisions=("float64",)) -> None:
    """Compile (and run once) the programs the gate uses, so they land in the on-disk compile
    cache at set-up: the single step and the batched chunk, per precision."""
    for precision in precisions:
        port = HalfCheetahJax(precision)
        port.reset(0)
        port.step(np.zeros(6, np.float32))
        port.replays([0], [np.zeros((1, 6), np.float32)])  # the short program
        port.replays([0], [np.zeros((SHORT + 1, 6), np.float32)])  # the full-length one


def _trajectory(seed, actions, obs, reward, truncated, states) -> Trajectory:
    n = len(reward)
    outputs = {"obs": obs, "reward": reward, "terminated": np.zeros(n, bool), "truncated": truncated.astype(bool)}
    return Trajectory(seed, actions, outputs, states)


def _params(cls, dtype):
    from ported_envs.halfcheetah_jax import make_params
    from ported_envs.halfcheetah_jax import model as model_lib
    model = model_lib.load(np.float64)
    if cls.model_transform is not None:
        model = cls.model_transform(model)
    return make_params(dtype, model=model, **cls.env_settings)


def _compiled(cls, x64: bool, dtype) -> tuple:
    """(params, jitted functions) for one adapter class and precision, shared by its instances."""
    key = (cls.mutation, cls.model_transform, tuple(sorted(cls.env_settings.items())), x64)
    if key in _CACHE:
        return _CACHE[key]
    import jax
    import jax.numpy as jnp
    from jax import lax

    from ported_envs.halfcheetah_jax import env
    from suites.halfcheetah.policies import GAIT_PERIOD, GAIT_TABLE

    env.use_compile_cache()
    with jax.enable_x64(x64):
        params = _params(cls, dtype)
        step = jax.jit(lambda s, a: env.step(s, a, params))
        batch_step = jax.vmap(lambda s, a: env.step(s, a, params))
        table = jnp.asarray(GAIT_TABLE)

        def chunk(state, given, mode, seeds, t0):
            """len(given) steps of LANES envs: given actions (REPLAY), or the policy's (RANDOM, GAIT)."""
            base = jax.vmap(lambda s: jax.random.fold_in(jax.random.key(0x5EED), s))(seeds)

            def body(s, x):
                a_given, t = x
                keys = jax.vmap(jax.random.fold_in, (0, None))(base, t)
                a_random = jax.vmap(lambda k: jax.random.uniform(k, (6,), jnp.float32, -1.0, 1.0))(keys)
                a_gait = jnp.broadcast_to(table[t % GAIT_PERIOD], a_given.shape)
                a = jnp.where(mode == RANDOM, a_random, jnp.where(mode == GAIT, a_gait, a_given))
                obs, s, reward, _, truncated, _ = batch_step(s, a)
                return s, (a, obs, reward, truncated, s)
            return lax.scan(body, state, (given, t0 + jnp.arange(given.shape[0], dtype=jnp.int32)))

        fns = {"step": step, "chunk": jax.jit(chunk)}
    _CACHE[key] = (params, fns)
    return _CACHE[key]


def _bench_runner(cls, x64, dtype, steps):
    key = ("bench", cls.mutation, cls.model_transform, x64, steps)
    if key not in _CACHE:
        import jax
        import jax.numpy as jnp
        from jax import lax

        from ported_envs.halfcheetah_jax import env
        with jax.enable_x64(x64):
            params = _params(cls, dtype)
            def batch_step(s, a):  # vmap, in groups of env.LANES envs for large batches
                return env.batch_step(s, a, params)

            def run(state, seeds, t0):
                base = jax.vmap(lambda s: jax.random.fold_in(jax.random.key(7), s))(seeds)

                def body(carry, t):
                    s, total = carry
                    keys = jax.vmap(jax.random.fold_in, (0, None))(base, t)
                    a = jax.vmap(lambda k: jax.random.uniform(k, (6,), jnp.float32, -1.0, 1.0))(keys)
                    _, s, reward, _, _, _ = batch_step(s, a)
                    return (s, total + reward), None
                (s, total), _ = lax.scan(body, (state, jnp.zeros(seeds.shape[0], params.dtype)),
                                         t0 + jnp.arange(steps, dtype=jnp.int32))
                return s, total
            _CACHE[key] = jax.jit(run, donate_argnums=0)
    return _CACHE[key]

"""Zero-code adapters: ``gym:<id>`` for any registered Gymnasium environment, ``gymnax:<id>`` or
``gymnax:package.module:Class`` for a gymnax-API environment.

The canonical state of a generic pair is what both APIs expose without help:

- ``state``: the physical state as one float64 vector. Gymnasium: ``env.unwrapped.state``
  (the classic-control convention). gymnax: the ``EnvState`` leaves other than ``time``, in
  declaration order, flattened; when the pair's schema is shorter (Pendulum keeps ``last_u``
  for rendering), the first ``state_size`` numbers are canonical and the rest stay the port's.
- ``elapsed``: steps since reset (Gymnasium's ``TimeLimit``, gymnax's ``time``), which decides
  truncation.
- ``rng``: Gymnasium only, and only for an environment whose step draws random numbers: its
  PCG64 generator state (such a step cannot be matched from an injected state otherwise).

Whether a step draws random numbers is found out, not assumed: Gymnasium's generator state is
watched across steps, a gymnax step is run with two keys. An environment whose state cannot be
read this way gets an error naming what to provide. Nothing here is imported unless a
``gym:``/``gymnax:`` name is used.
"""
from __future__ import annotations

import functools
import hashlib
import importlib

import numpy as np

from equiv._adapter import Adapter, Step, Trajectory
from equiv._errors import ConfigError

PREFIXES = ("gym:", "gymnax:")
_PROBE_STEPS = 20


def adapter_for(name: str):
    """The adapter class for ``gym:ID``, ``gymnax:ID`` or ``gymnax:module:Class`` (one per name)."""
    prefix, _, target = name.partition(":")
    if not target:
        raise ConfigError(f"{name!r}: name the environment after '{prefix}:', e.g. {prefix}:CartPole-v1")
    return _gym_class(target) if prefix == "gym" else _gymnax_class(target)


# -- Gymnasium ----------------------------------------------------------------------------------

def _make_gym(env_id: str, **kwargs):
    try:
        import gymnasium
    except ImportError:
        raise ConfigError("gym: adapters need gymnasium; install it (pip install gymnasium), or run "
                          "./dev.sh setup in an equiv checkout") from None
    try:
        return gymnasium.make(env_id, **kwargs)
    except gymnasium.error.Error as e:
        known = sorted(k for k in gymnasium.registry if env_id.split("-")[0].lower() in k.lower())[:8]
        hint = f"; similar registered ids: {known}" if known else ""
        raise ConfigError(f"gym:{env_id}: Gymnasium cannot make it ({e}){hint}") from None


def _time_limit(env):
    while env is not None:
        if hasattr(env, "_elapsed_steps") and hasattr(env, "_max_episode_steps"):
            return env
        env = getattr(env, "env", None)
    return None


def _physical_state(env, env_id: str) -> np.ndarray:
    state = getattr(env.unwrapped, "state", None)
    if state is None:
        raise ConfigError(
            f"gym:{env_id}: its unwrapped environment has no `state` attribute, so equiv cannot read or "
            f"inject its state generically. Give the environment a `state` attribute holding its whole "
            f"physical state (the classic-control convention), or write an equiv.Adapter for it with "
            f"get_state/set_state (docs/API.md, 'Writing an adapter')")
    return np.asarray(state, dtype=np.float64).ravel()


def _pcg_words(bit_generator) -> np.ndarray:
    st = bit_generator.state
    words = []
    for v in (st["state"]["state"], st["state"]["inc"]):
        words += [v & (2**64 - 1), v >> 64]
    words += [st["has_uint32"], st["uinteger"]]
    return np.asarray(words, dtype=np.uint64)


def _set_pcg_words(bit_generator, words) -> None:
    w = [int(x) for x in np.asarray(words, dtype=np.uint64)]
    st = bit_generator.state
    st["state"] = {"state": w[0] | (w[1] << 64), "inc": w[2] | (w[3] << 64)}
    st["has_uint32"], st["uinteger"] = w[4], w[5]
    bit_generator.state = st


@functools.lru_cache(maxsize=None)
def _gym_class(env_id: str):
    env = _make_gym(env_id)
    env.reset(seed=0)
    _physical_state(env, env_id)
    if _time_limit(env) is None:
        raise ConfigError(f"gym:{env_id} has no TimeLimit wrapper (no max_episode_steps); register it with "
                          f"one, or write an equiv.Adapter for it")
    before = _pcg_words(env.unwrapped.np_random.bit_generator)
    for _ in range(_PROBE_STEPS):
        _, _, term, trunc, _ = env.step(env.action_space.sample())
        if term or trunc:
            env.reset()
            before = _pcg_words(env.unwrapped.np_random.bit_generator)
    stochastic = not np.array_equal(before, _pcg_words(env.unwrapped.np_random.bit_generator))
    env.close()
    return type(f"Gym_{_identifier(env_id)}", (GymAdapter,), {"__module__": __name__,
        "env_id": env_id, "family": env_id, "deterministic_step": not stochastic,
        "stochastic_step": stochastic, "registered_name": f"gym:{env_id}"})


class GymAdapter(Adapter):
    """A registered Gymnasium environment, driven through its own API (a reference, usually)."""

    env_id: str = ""
    role = "reference"
    randomness = "numpy-pcg64"  # Gymnasium seeds env.np_random, a PCG64, from reset(seed=...)
    float_dtype = "float64"
    stochastic_step = False
    requires = ("gymnasium",)

    def __init__(self, **config):
        super().__init__(**config)
        self.env = _make_gym(self.env_id, **config.get("make", {}))
        self.limit = _time_limit(self.env)
        self.env.reset(seed=0)  # Gymnasium refuses a step before the first reset

    @classmethod
    def default_suite(cls, ported_cls):
        from equiv._generated import generic_suite
        return generic_suite(cls, ported_cls)

    def reset(self, seed: int):
        obs, _ = self.env.reset(seed=int(seed))
        return obs

    def step(self, action) -> Step:
        if hasattr(self.env.action_space, "n"):
            action = int(action)
        else:
            action = np.asarray(action, dtype=self.env.action_space.dtype).reshape(self.env.action_space.shape)
        obs, reward, terminated, truncated, _ = self.env.step(action)
        return Step(np.asarray(obs), np.float64(reward), bool(terminated), bool(truncated))

    def get_state(self) -> dict:
        state = {"state": _physical_state(self.env, self.env_id),
                 "elapsed": np.int64(self.limit._elapsed_steps or 0)}
        if self.stochastic_step:
            state["rng"] = _pcg_words(self.env.unwrapped.np_random.bit_generator)
        return state

    def set_state(self, state) -> None:
        self.env.reset()  # clears per-episode bookkeeping (CartPole's steps_beyond_terminated, say)
        held = np.asarray(self.env.unwrapped.state)
        values = np.asarray(state["state"], dtype=np.float64)
        if values.size != held.size:
            raise ValueError(f"gym:{self.env_id} has a state of {held.size} numbers; got {values.size}")
        self.env.unwrapped.state = values.reshape(held.shape)
        self.limit._elapsed_steps = int(state["elapsed"])
        if self.stochastic_step:
            _set_pcg_words(self.env.unwrapped.np_random.bit_generator, state["rng"])

    def provenance(self) -> dict:
        import gymnasium
        spec = self.env.spec
        return {"name": f"Gymnasium {self.env_id}", "version": gymnasium.__version__,
                "hash": hashlib.sha256(repr(spec).encode()).hexdigest()[:16],
                "entry_point": str(spec.entry_point), "max_episode_steps": spec.max_episode_steps,
                "step draws random numbers": self.stochastic_step}

    def close(self) -> None:
        self.env.close()


# -- gymnax -------------------------------------------------------------------------------------

def _make_gymnax(target: str):
    """(env, params, family): a gymnax id, or module:Class of a user's gymnax-API environment."""
    if ":" in target:
        module, _, attr = target.partition(":")
        try:
            cls = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as e:
            raise ConfigError(f"gymnax:{target}: cannot load {attr!r} from module {module!r} ({e}); "
                              f"give gymnax:package.module:ClassName of a gymnax Environment class") from None
        env = cls()
        return env, env.default_params, None  # any family: it takes its counterpart's
    try:
        import gymnax
    except ImportError:
        raise ConfigError("gymnax: adapters need gymnax (and six, which it imports); install them, or "
                          "run ./dev.sh setup in an equiv checkout") from None
    try:
        env, params = gymnax.make(target)
    except (ValueError, KeyError) as e:
        raise ConfigError(f"gymnax:{target}: gymnax has no such environment ({e}); registered: "
                          f"{', '.join(gymnax.registered_envs)}") from None
    return env, params, target


@functools.lru_cache(maxsize=None)
def _gymnax_class(target: str):
    import jax

    env, params, family = _make_gymnax(target)
    state = env.reset_env(jax.random.PRNGKey(0), params)[1]
    if not hasattr(state, "time"):
        raise ConfigError(f"gymnax:{target}: its EnvState has no `time` field counting steps; equiv reads "
                          f"truncation from it. Add one, or write an equiv.Adapter for it")
    action = env.action_space(params).sample(jax.random.PRNGKey(1))
    outs = [env.step_env(jax.random.PRNGKey(k), state, action, params)[:4] for k in (2, 3)]
    stochastic = any(not np.array_equal(np.asarray(a), np.asarray(b))
                     for a, b in zip(jax.tree.leaves(outs[0]), jax.tree.leaves(outs[1])))
    return type(f"Gymnax_{_identifier(target)}", (GymnaxAdapter,), {"__module__": __name__,
        "target": target, "family": family, "deterministic_step": not stochastic,
        "registered_name": f"gymnax:{target}"})


class GymnaxAdapter(Adapter):
    """A gymnax-API environment in JAX (a port, usually): pure reset_env/step_env, run in float32."""

    target: str = ""
    role = "ported"
    randomness = "jax-threefry"  # resets draw from jax.random keys made from the seed
    float_dtype = "float32"
    requires = ("jax",)

    def __init__(self, state_size: int | None = None, **config):
        super().__init__(state_size=state_size, **config)
        import jax
        import jax.numpy as jnp

        self._jax, self._jnp = jax, jnp
        self.env, params, _ = _make_gymnax(self.target)
        self.params = params.replace(**config["params"]) if config.get("params") else params
        blank = self.env.reset_env(jax.random.PRNGKey(0), self.params)[1]
        self._leaves, self._tree = jax.tree.flatten(blank)
        names = [f.name for f in _fields(blank)]
        self._time_at = names.index("time")
        self._sizes = [int(np.size(x)) for i, x in enumerate(self._leaves) if i != self._time_at]
        self.state_size = sum(self._sizes) if state_size is None else int(state_size)
        if self.state_size > sum(self._sizes):
            raise ConfigError(f"gymnax:{self.target}: its state has {sum(self._sizes)} numbers besides `time` "
                              f"({[n for n in names if n != 'time']}), the pair's schema needs {self.state_size}")
        self._step = jax.jit(self.env.step_env)
        self._reset = jax.jit(self.env.reset_env)
        self._key = jax.random.PRNGKey(0)
        self.s = None

    @classmethod
    def default_suite(cls, ported_cls):
        from equiv._generated import generic_suite
        return generic_suite(cls, ported_cls)

    # The float32 cast keeps the port in its own precision even when another pair in the
    # process enabled JAX's x64 mode.
    def _cast(self, x):
        x = self._jnp.asarray(x)
        return x.astype(self._jnp.float32) if x.dtype.kind == "f" else x.astype(self._jnp.int32)

    def reset(self, seed: int):
        self._key = self._jax.random.PRNGKey(int(seed))
        self._key, sub = self._jax.random.split(self._key)
        obs, s = self._reset(sub, self.params)
        self.s = self._jax.tree.map(self._cast, s)
        return np.asarray(obs)

    def step(self, action) -> Step:
        self._key, sub = self._jax.random.split(self._key)
        obs, s, reward, terminated, _ = self._step(sub, self.s, self._action(action), self.params)
        self.s = self._jax.tree.map(self._cast, s)
        truncated = bool(self.env.is_truncated(self.s, self.params))
        return Step(np.asarray(obs), np.asarray(reward, np.float64).reshape(()), bool(terminated), truncated)

    def _action(self, action):
        a = np.asarray(action)
        return self._jnp.int32(int(a)) if a.dtype.kind in "iub" else self._jnp.asarray(a, self._jnp.float32)

    def get_state(self) -> dict:
        leaves = self._jax.tree.leaves(self.s)
        flat = np.concatenate([np.asarray(x, np.float64).ravel() for i, x in enumerate(leaves)
                               if i != self._time_at])
        return {"state": flat[: self.state_size], "elapsed": np.int64(np.asarray(leaves[self._time_at]))}

    def set_state(self, state) -> None:
        values = np.asarray(state["state"], np.float64).ravel()
        if values.size != self.state_size:
            raise ValueError(f"gymnax:{self.target}: expected {self.state_size} state numbers, got {values.size}")
        held = self._jax.tree.leaves(self.s) if self.s is not None else self._leaves
        # Canonical numbers first; the rest (render-only fields such as last_u) are kept.
        current = np.concatenate([np.asarray(x, np.float64).ravel() for i, x in enumerate(held)
                                  if i != self._time_at])
        current[: self.state_size] = values
        out, at = [], 0
        for i, x in enumerate(held):
            if i == self._time_at:
                out.append(self._jnp.asarray(int(state["elapsed"]), self._jnp.int32))
                continue
            n = int(np.size(x))
            out.append(self._cast(current[at:at + n].reshape(np.shape(x))))
            at += n
        self.s = self._jax.tree.unflatten(self._tree, out)

    def provenance(self) -> dict:
        import jax
        version = "unknown"
        try:
            import gymnax
            version = gymnax.__version__ if hasattr(gymnax, "__version__") else _dist_version("gymnax")
        except ImportError:
            pass
        return {"name": f"gymnax {self.target}", "version": version, "jax": jax.__version__,
                "hash": hashlib.sha256(repr(self.params).encode()).hexdigest()[:16],
                "precision": "float32 (state cast after every step)", "params": repr(self.params)}

    # -- batched play: one vmap + scan call ---------------------------------------------------
    def replays(self, starts, actions, record_states: bool = True) -> list[Trajectory]:
        if not starts:
            return []
        return _Batch(self).replays(starts, actions, record_states)

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
        if policy.name != "random":
            return super().rollouts(seeds, policy, max_steps, record_states)
        return _Batch(self).random_rollouts(seeds, max_steps, record_states)


def _fields(state):
    import dataclasses
    return dataclasses.fields(state)


def _dist_version(name: str) -> str:
    from importlib.metadata import version
    return version(name)


def _identifier(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def _bucket(n: int, least: int = 1) -> int:
    """The next power of two >= n: few distinct shapes, few compilations."""
    return max(least, 1 << max(0, int(n) - 1).bit_length())


class _Batch:
    """vmap over episodes and lax.scan over steps for a GymnaxAdapter (compiled once per shape)."""

    _compiled: dict = {}

    def __init__(self, adapter: GymnaxAdapter):
        self.a = adapter
        self.jax, self.jnp = adapter._jax, adapter._jnp

    def _start(self, starts) -> list:
        rows, keys = [], []
        for s in starts:
            if isinstance(s, dict):
                self.a.set_state(s)
                keys.append(self.jax.random.PRNGKey(0))
            else:
                self.a.reset(int(s))
                keys.append(self.a._key)
            rows.append(self.a.s)
        return rows, keys

    def _stack(self, rows, width):
        rows = rows + [rows[0]] * (width - len(rows))
        return self.jax.tree.map(lambda *xs: self.jnp.stack(xs), *rows)

    def _program(self, kind: str, record_states: bool):
        key = (id(type(self.a)), self.a.target, kind, record_states)
        if key not in self._compiled:
            self._compiled[key] = self.jax.jit(self._build(kind, record_states), static_argnums=(3,))
        return self._compiled[key]

    def _build(self, kind: str, record_states: bool):
        jax, jnp, a = self.jax, self.jnp, self.a
        env, space = a.env, a.env.action_space(a.params)

        def one(state, key, actions, steps, params):
            def body(carry, x):
                s, k, done = carry
                k, sub, pick = jax.random.split(k, 3)
                act = space.sample(pick) if kind == "random" else x
                obs, s2, reward, term, _ = env.step_env(sub, s, act, params)
                s2 = jax.tree.map(a._cast, s2)
                trunc = env.is_truncated(s2, params)
                s2 = jax.tree.map(lambda new, old: jnp.where(done, old, new), s2, s)
                rec = (obs, jnp.asarray(reward, jnp.float32).reshape(()), term, trunc, act,
                       s2 if record_states else 0)
                return (s2, k, done | term | trunc), (rec, done)
            return jax.lax.scan(body, (state, key, jnp.bool_(False)), actions, length=steps)[1]

        def batch(states, keys, actions, steps, params):
            return jax.vmap(one, in_axes=(0, 0, 0 if kind == "replay" else None, None, None))(
                states, keys, actions, steps, params)
        return batch

    def _trajectories(self, seeds, out, lengths, record_states) -> list[Trajectory]:
        (obs, reward, term, trunc, acts, states), was_done = out
        obs, reward, term, trunc, acts = (np.asarray(x) for x in (obs, reward, term, trunc, acts))
        was_done = np.asarray(was_done)
        leaves = self.jax.tree.leaves(states) if record_states else None
        trajs = []
        for i, seed in enumerate(seeds):
            live = np.flatnonzero(~was_done[i][: lengths[i]])
            t = int(live[-1]) + 1 if live.size else 0
            st = None
            if record_states:
                st = self._canonical(leaves, i, t)
            outputs = {"obs": obs[i, :t], "reward": reward[i, :t].astype(np.float64),
                       "terminated": term[i, :t].astype(bool), "truncated": trunc[i, :t].astype(bool)}
            trajs.append(Trajectory(None if isinstance(seed, dict) else int(seed), acts[i, :t], outputs, st))
        return trajs

    def _canonical(self, leaves, i, t) -> dict:
        parts = [np.asarray(x[i, :t], np.float64).reshape(t, -1) for j, x in enumerate(leaves)
                 if j != self.a._time_at]
        flat = np.concatenate(parts, axis=1) if parts else np.zeros((t, 0))
        return {"state": flat[:, : self.a.state_size],
                "elapsed": np.asarray(leaves[self.a._time_at][i, :t], np.int64)}

    def replays(self, starts, actions, record_states) -> list[Trajectory]:
        rows, keys = self._start(starts)
        n, lengths = len(starts), [len(x) for x in actions]
        width, steps = _bucket(n), _bucket(max(lengths), 16)
        space = self.a.env.action_space(self.a.params)
        shape = tuple(getattr(space, "shape", ()) or ())
        dtype = np.int32 if not shape and np.issubdtype(np.dtype(space.dtype), np.integer) else np.float32
        acts = np.zeros((width, steps) + shape, dtype)
        for i, seq in enumerate(actions):
            if len(seq):
                acts[i, : len(seq)] = np.asarray(seq, dtype).reshape((len(seq),) + shape)
        out = self._program("replay", record_states)(self._stack(rows, width), self.jnp.stack(
            keys + [keys[0]] * (width - n)), acts, steps, self.a.params)
        return self._trajectories(starts, out, lengths, record_states)

    def random_rollouts(self, seeds, max_steps, record_states) -> list[Trajectory]:
        rows, keys = self._start(seeds)
        n = len(seeds)
        width = _bucket(n)
        out = self._program("random", record_states)(self._stack(rows, width), self.jnp.stack(
            keys + [keys[0]] * (width - n)), None, int(max_steps), self.a.params)
        return self._trajectories(seeds, out, [max_steps] * n, record_states)

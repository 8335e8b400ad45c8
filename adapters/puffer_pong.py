"""Adapter for the reference of the pong family: PufferLib 3.0.0's C Pong.

One C env per adapter (``num_envs=1``, as PufferLib's ``Pong(num_envs=1)``), with its own
glibc ``rand()`` state swapped in around each call (see reference_envs/puffer_pong/cpong.py),
so ``reset(seed)`` is ``srand(seed)`` + ``c_reset`` whatever else runs in the process.
The canonical state is the 12 mutable fields of ``struct Pong``, the observation buffer
(stale after a point, so it is state) and the generator state.
"""
from __future__ import annotations

import numpy as np

from equiv import Adapter, Step, Trajectory
from reference_envs.puffer_pong import (
    STATE_FIELDS, CPong, build_missing, build_provenance, check_config,
)

_RNG_SHAPE = (31,)


class PufferPong(Adapter):
    family = "pong"
    randomness = "glibc-rand"
    role = "reference"

    @classmethod
    def missing(cls) -> str | None:
        return build_missing()

    def __init__(self, **config):
        super().__init__(**config)
        self.settings = check_config(config)
        self.continuous = self.settings["continuous"]
        self.env = CPong(1, 0, **self.settings)
        self._struct = self.env.struct(0)

    # --- the contract ---------------------------------------------------------
    def reset(self, seed: int):
        """A fresh env reset with ``seed``. ``c_reset`` leaves ``paddle_dir`` and ``win`` as the
        previous episode left them; a new env has them at 0 (calloc + ``init``), so they are
        zeroed here to make ``reset(seed)`` independent of what this adapter played before."""
        self.env.reset(int(seed))
        self._struct["paddle_dir"][0] = 0.0
        self._struct["win"][0] = 0
        return self.env.observations[0].copy()

    def step(self, action) -> Step:
        self.env.set_actions(action)
        self.env.step()
        return Step(self.env.observations[0].copy(), np.float32(self.env.rewards[0]),
                    bool(self.env.terminals[0]), False)

    def get_state(self) -> dict:
        s = self._struct
        state = {k: np.asarray(s[k][0], dtype=t) for k, t in STATE_FIELDS.items()}
        state["obs"] = self.env.observations[0].copy()
        state["rng"] = self.env.rand.window()
        return state

    def set_state(self, state) -> None:
        expected = set(STATE_FIELDS) | {"obs", "rng"}
        if set(state) != expected:
            raise ValueError(f"Pong state needs exactly the fields {sorted(expected)}; got {sorted(state)}")
        s = self._struct
        for k, t in STATE_FIELDS.items():
            s[k][0] = np.asarray(state[k]).astype(t)
        obs = np.asarray(state["obs"], np.float32)
        if obs.shape != (8,):
            raise ValueError(f"Pong state field 'obs' must have shape (8,), got {obs.shape}")
        self.env.observations[0] = obs
        rng = np.asarray(state["rng"])
        if rng.shape != _RNG_SHAPE:
            raise ValueError(f"Pong state field 'rng' must have shape {_RNG_SHAPE}, got {rng.shape}")
        self.env.rand.set_window(rng.astype(np.uint32))

    def provenance(self) -> dict:
        info = build_provenance()
        return {"name": "pufferlib.ocean.pong (C, compiled binding only)",
                "version": info.get("pufferlib", "3.0.0"),
                "hash": info.get("sdist_sha256", "unknown"),
                "sources_sha256": info.get("sources_sha256", "unknown"),
                "compiler": f"gcc {info.get('gcc', '?')} {info.get('flags', '')}".strip(),
                "rng": "glibc rand(), private TYPE_3 state per adapter",
                "config": dict(self.settings)}

    def close(self) -> None:
        self.env.close()

    # --- a tighter loop for whole episodes -------------------------------------------
    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
                return [self._rollout(int(seed), policy, int(max_steps), record_states) for seed in seeds]

    def _rollout(self, seed, choose, max_steps, record_states) -> Trajectory:
        env, s = self.env, self._struct
        self.reset(seed)
        rng = np.random.default_rng([seed, 0x5EED])  # the base class's convention
        obs_buf, rew_buf, term_buf = env.observations[0], env.rewards, env.terminals
        actions, obs, rewards, terms, structs, windows = [], [], [], [], [], []
        ob = obs_buf.copy()
        for _ in range(max_steps):
            a = choose(ob, None, rng)
            env.set_actions(a)
            env.step()
            ob = obs_buf.copy()
            actions.append(a)
            obs.append(ob)
            rewards.append(rew_buf[0])
            terms.append(term_buf[0])
            if record_states:
                structs.append(s.copy())
                windows.append(env.rand.window())
            if term_buf[0]:
                break
        n = len(actions)
        outputs = {"obs": np.asarray(obs, np.float32).reshape(n, 8),
                   "reward": np.asarray(rewards, np.float32), "terminated": np.asarray(terms, bool),
                   "truncated": np.zeros(n, bool)}
        states = None
        if record_states:
            rec = np.concatenate(structs) if structs else np.zeros(0, s.dtype)
            states = {k: rec[k].astype(t) for k, t in STATE_FIELDS.items()}
            states["obs"] = outputs["obs"].copy()
            states["rng"] = np.asarray(windows, np.uint32).reshape(n, *_RNG_SHAPE)
        return Trajectory(seed, np.asarray(actions), outputs, states)

    # --- benchmark hook (suites/pong/bench.py) -----------------------------------------
    @classmethod
    def throughput(cls, config: dict, batch: int, seconds: float) -> dict:
        """Agent steps/s of ``batch`` C envs stepped together (PufferLib's vectorisation:
        one ``vec_step`` call steps every env), actions cycled from a cache as PufferLib's
        own ``test_performance`` does."""
        import time
        env = CPong(batch, 0, **check_config(config))
        env.reset(0)
        cache = np.random.default_rng(0).integers(0, 3, (1024, batch)).astype(np.float32)
        if env.continuous:
            cache = (cache - 1.0).astype(np.float32)
        step, handle, actions = env._b.vec_step, env._handle, env.actions
        iters, start = 0, time.perf_counter()
        with env.rand.active():
            while True:
                for i in range(256):
                    actions[:] = cache[i]
                    step(handle)
                iters += 256
                elapsed = time.perf_counter() - start
                if elapsed >= seconds:
                    break
        env.close()
        return {"steps_per_s": batch * iters / elapsed, "compile_s": 0.0}

"""Adapter for the ``mjx`` reference: Gymnasium's HalfCheetah-v5 logic on MuJoCo MJX.

Variants set ``precision`` (``float64`` default, ``float32``); each adapter runs its JAX
calls inside ``jax.enable_x64`` for its precision (reference_envs/halfcheetah/mjx_env.py).
Resets use numpy's ``default_rng(seed)`` exactly as Gymnasium does. ``replays`` and
``rollouts`` run their episodes as one ``vmap`` + ``lax.scan`` batch, split into batches of
at most :data:`reference_envs.halfcheetah.xla_safety.SAFE_LAPACK_BATCH` envs (jaxlib 0.10's
batched LAPACK Cholesky, which MJX's solver calls, deadlocks XLA's CPU thread pool at
larger batches; see that module).
"""
from __future__ import annotations

import numpy as np

from equiv import Adapter, Step, Trajectory
from reference_envs import halfcheetah as ref

PRECISIONS = {"float64": True, "float32": False}


class MjxHalfCheetah(Adapter):
    family = "halfcheetah"
    randomness = "numpy-pcg64"
    role = "reference"
    requires = ("mujoco", "gymnasium", "jax", "mujoco.mjx")
    deterministic_step = True

    @classmethod
    def missing(cls) -> str | None:
        return ref.missing(cls.requires)

    def __init__(self, precision: str = "float64", **config):
        if config:
            raise ValueError(f"mjx (HalfCheetah) takes only 'precision'; unknown settings {sorted(config)}")
        if precision not in PRECISIONS:
            raise ValueError(f"mjx: precision must be one of {sorted(PRECISIONS)}, got {precision!r}")
        super().__init__(precision=precision)
        from reference_envs.halfcheetah.mjx_env import MjxHalfCheetah as Env
        self.precision = precision
        self.env = Env(x64=PRECISIONS[precision])

    @staticmethod
    def _action(action) -> np.ndarray:
        a = np.asarray(action, np.float32).reshape(-1)
        if a.shape != (6,):
            raise ValueError(f"HalfCheetah takes 6 actions per step, got shape {np.shape(action)}")
        return a

    def reset(self, seed: int):
        return self.env.reset(seed)

    def step(self, action) -> Step:
        obs, reward, terminated, truncated = self.env.step(self._action(action))
        return Step(obs, np.float64(reward), terminated, truncated)

    def get_state(self) -> dict:
        if self.env.state is None:
            raise RuntimeError("mjx: no state yet; call reset(seed) first")
        return self.env.get_state()

    def set_state(self, state) -> None:
        if set(state) != set(ref.STATE_FIELDS):
            raise ValueError(f"HalfCheetah state needs exactly the fields {list(ref.STATE_FIELDS)}; got {sorted(state)}")
        self.env.set_state(state)

    def provenance(self) -> dict:
        import os

        import jax
        return ref.provenance({"name": "gymnasium HalfCheetah-v5 logic on MuJoCo MJX",
                               "version": ref.PINNED["mujoco-mjx"], "hash": ref.provenance()["model_sha256"],
                               "precision": self.precision, "jax": jax.__version__,
                               "XLA_FLAGS": os.environ.get("XLA_FLAGS", "")})

    # --- batched play ------------------------------------------------------------------
    def _run(self, starts: list[dict], actions: np.ndarray):
        from reference_envs.halfcheetah.xla_safety import batch_limit
        limit = batch_limit()
        parts = [self.env.run(starts[i:i + limit], actions[:, i:i + limit]) for i in range(0, len(starts), limit)]
        obs, reward, trunc = (np.concatenate([p[k] for p in parts], axis=1) for k in range(3))
        traj = {k: np.concatenate([p[3][k] for p in parts], axis=1) for k in parts[0][3]}
        return obs, reward, trunc, traj

    def replays(self, starts, actions, record_states: bool = True) -> list[Trajectory]:
        from reference_envs.halfcheetah.mjx_env import reset_state
        if not starts:
            return []
        states = [dict(s) if isinstance(s, dict) else reset_state(int(s)) for s in starts]
        lengths = [len(a) for a in actions]
        t_pad = max(16, 1 << max(0, max(lengths) - 1).bit_length())
        acts = np.zeros((t_pad, len(starts), 6), np.float32)
        for i, a in enumerate(actions):
            if len(a):
                acts[: len(a), i] = np.asarray(a, np.float32).reshape(len(a), 6)
        obs, reward, trunc, traj = self._run(states, acts)
        out = []
        for i, start in enumerate(starts):
            stop = np.flatnonzero(trunc[: lengths[i], i])
            t = int(stop[0]) + 1 if stop.size else lengths[i]
            st = {k: v[:t, i] for k, v in traj.items()} if record_states else None
            n = t
            outputs = {"obs": obs[:t, i], "reward": reward[:t, i], "terminated": np.zeros(n, bool),
                       "truncated": trunc[:t, i].astype(bool)}
            out.append(Trajectory(None if isinstance(start, dict) else int(start),
                                  acts[:t, i].copy(), outputs, st))
        return out

    def replay(self, start, actions, record_states: bool = True) -> Trajectory:
        return self.replays([start], [actions], record_states)[0]

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
        """Open-loop policies (``gait``, and ``random``, whose draws do not depend on the
        observation) are played from pre-drawn actions in one batch; others step one env."""
        if policy.name not in ("random", "gait"):
            return [self.rollout(int(s), policy, max_steps, record_states) for s in seeds]
        horizon = min(int(max_steps), ref.MAX_EPISODE_STEPS)
        acts = np.zeros((horizon, len(seeds), 6), np.float32)
        for i, seed in enumerate(seeds):
            rng = np.random.default_rng([int(seed), 0x5EED])  # the base class's convention
            for t in range(horizon):  # a new rng per episode also restarts the gait's step count
                acts[t, i] = self._action(policy(None, None, rng))
        trajs = self.replays([int(s) for s in seeds], [acts[:, i] for i in range(len(seeds))], record_states)
        for t, s in zip(trajs, seeds):
            t.seed = int(s)
        return trajs

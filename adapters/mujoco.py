"""Adapter for the ``mujoco`` reference: Gymnasium's HalfCheetah-v5 on MuJoCo C.

It drives ``gymnasium.make("HalfCheetah-v5")`` itself (reference_envs/halfcheetah/gym_env.py),
with Gymnasium's seeding (``np.random.default_rng(seed)``, PCG64). MuJoCo C computes in
float64 only: the ``precision`` setting of a variant is for the JAX sides, and this adapter
accepts it and runs float64 whatever it says.
"""
from __future__ import annotations

import numpy as np

from equiv import Adapter, Step, Trajectory
from reference_envs import halfcheetah as ref


class MujocoHalfCheetah(Adapter):
    family = "halfcheetah"
    randomness = "numpy-pcg64"
    role = "reference"
    requires = ("mujoco", "gymnasium")
    deterministic_step = True

    @classmethod
    def missing(cls) -> str | None:
        return ref.missing(cls.requires)

    def __init__(self, precision: str = "float64", **config):
        if config:
            raise ValueError(f"mujoco (HalfCheetah) takes only 'precision'; unknown settings {sorted(config)}")
        super().__init__(precision=precision)
        from reference_envs.halfcheetah.gym_env import GymHalfCheetah
        self.env = GymHalfCheetah()

    @staticmethod
    def _action(action) -> np.ndarray:
        a = np.asarray(action, np.float32).reshape(-1)
        if a.shape != (6,):
            raise ValueError(f"HalfCheetah takes 6 actions per step, got shape {np.shape(action)}")
        return a

    def reset(self, seed: int):
        return self.env.reset(seed)

    def step(self, action) -> Step:
        obs, reward, terminated, truncated, _ = self.env.step(self._action(action))
        return Step(obs, np.float64(reward), terminated, truncated)

    def get_state(self) -> dict:
        return self.env.get_state()

    def set_state(self, state) -> None:
        missing = set(ref.STATE_FIELDS) - set(state)
        extra = set(state) - set(ref.STATE_FIELDS)
        if missing or extra:
            raise ValueError(f"HalfCheetah state needs exactly the fields {list(ref.STATE_FIELDS)}; "
                             f"missing {sorted(missing)}, unexpected {sorted(extra)}")
        self.env.set_state(state)

    def provenance(self) -> dict:
        import mujoco
        return ref.provenance({"name": "gymnasium HalfCheetah-v5 on MuJoCo C", "version": mujoco.__version__,
                               "hash": ref.provenance()["model_sha256"], "precision": "float64 (MuJoCo C)"})

    def close(self) -> None:
        self.env.close()

    # --- a tighter loop for whole episodes (same results as the base class) ---------------
    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list[Trajectory]:
        out = []
        for seed in seeds:
            seed = int(seed)
            obs = self.reset(seed)
            rng = np.random.default_rng([seed, 0x5EED])  # the base class's convention
            acts, obs_l, rew, trunc, states = [], [], [], [], []
            for _ in range(int(max_steps)):
                a = self._action(policy(obs, None, rng))
                obs, reward, terminated, truncated, _ = self.env.step(a)
                acts.append(a)
                obs_l.append(obs)
                rew.append(reward)
                trunc.append(truncated)
                if record_states:
                    states.append(self.env.get_state())
                if terminated or truncated:
                    break
            n = len(acts)
            outputs = {"obs": np.asarray(obs_l, np.float64).reshape(n, 17), "reward": np.asarray(rew, np.float64),
                       "terminated": np.zeros(n, bool), "truncated": np.asarray(trunc, bool)}
            st = None
            if record_states:
                st = {k: np.stack([s[k] for s in states]) for k in ref.STATE_FIELDS}
            out.append(Trajectory(seed, np.asarray(acts, np.float32).reshape(n, 6), outputs, st))
        return out

    # --- benchmark hooks (suites/halfcheetah/bench.py) -------------------------------------
    @classmethod
    def throughput_gym(cls, seconds: float) -> dict:
        """Env steps/s of ``gymnasium.make("HalfCheetah-v5")``, one env, random actions."""
        import time

        from reference_envs.halfcheetah.gym_env import GymHalfCheetah
        env = GymHalfCheetah(max_episode_steps=10**9)
        env.reset(0)
        cache = np.random.default_rng(0).uniform(-1, 1, (1024, 6)).astype(np.float32)
        n, start = 0, time.perf_counter()
        while True:
            for i in range(256):
                env.step(cache[(n + i) & 1023])
            n += 256
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        env.close()
        return {"steps_per_s": n / elapsed, "compile_s": 0.0}

    @classmethod
    def throughput_mj_step(cls, seconds: float) -> dict:
        """Env steps/s of raw MuJoCo C: ``ctrl[:] = a; mj_step(m, d, nstep=5)``, one thread."""
        import time

        import mujoco
        m = mujoco.MjModel.from_xml_path(str(ref.xml_path()))
        d = mujoco.MjData(m)
        cache = np.random.default_rng(0).uniform(-1, 1, (1024, 6))
        n, start = 0, time.perf_counter()
        while True:
            for i in range(256):
                d.ctrl[:] = cache[(n + i) & 1023]
                mujoco.mj_step(m, d, nstep=ref.FRAME_SKIP)
            n += 256
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        return {"steps_per_s": n / elapsed, "compile_s": 0.0}

    @classmethod
    def throughput_rollout(cls, batch: int, seconds: float, nthread: int = 1, steps: int = 200) -> dict:
        """Env steps/s of ``mujoco.rollout.rollout`` over ``batch`` envs, ``nthread`` threads."""
        import time

        import mujoco
        from mujoco import rollout
        m = mujoco.MjModel.from_xml_path(str(ref.xml_path()))
        datas = [mujoco.MjData(m) for _ in range(max(1, nthread))]
        nstate = mujoco.mj_stateSize(m, mujoco.mjtState.mjSTATE_FULLPHYSICS)
        state0 = np.zeros((batch, nstate))
        mujoco.mj_getState(m, datas[0], state0[0], mujoco.mjtState.mjSTATE_FULLPHYSICS)
        state0[:] = state0[0]
        ctrl = np.repeat(np.random.default_rng(0).uniform(-1, 1, (batch, steps, 1, 6)), ref.FRAME_SKIP, axis=2)
        ctrl = ctrl.reshape(batch, steps * ref.FRAME_SKIP, 6)
        kwargs = {"nstep": steps * ref.FRAME_SKIP}
        rollout.rollout(m, datas, state0, ctrl, **kwargs)  # warm-up (thread pool)
        n, start = 0, time.perf_counter()
        while True:
            rollout.rollout(m, datas, state0, ctrl, **kwargs)
            n += batch * steps
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        return {"steps_per_s": n / elapsed, "compile_s": 0.0}

"""The MuJoCo C reference is Gymnasium's HalfCheetah-v5, and its state injection is exact."""
import numpy as np

from adapters.mujoco import MujocoHalfCheetah


def test_gymnasium_env_is_the_pinned_one():
    import gymnasium
    import mujoco
    assert gymnasium.__version__ == "1.3.0" and mujoco.__version__ == "4.0.1"
    env = MujocoHalfCheetah().env
    assert env.unwrapped.frame_skip == 5 and env.limit._max_episode_steps == 1000
    assert env.model.opt.timestep == 0.01


def test_injected_state_continues_bit_for_bit():
    a, b = MujocoHalfCheetah(), MujocoHalfCheetah()
    rng = np.random.default_rng(0)
    a.reset(3)
    for _ in range(137):
        a.step(rng.uniform(-1, 1, 6).astype(np.float32))
    b.reset(99)  # a different history, then the injected state
    b.set_state(a.get_state())
    for _ in range(300):
        act = rng.uniform(-1, 1, 6).astype(np.float32)
        ra, rb = a.step(act), b.step(act)
        assert np.array_equal(ra.obs, rb.obs) and ra.reward == rb.reward
    sa, sb = a.get_state(), b.get_state()
    assert all(np.array_equal(sa[k], sb[k]) for k in sa)


def test_reward_is_gymnasiums_formula():
    env = MujocoHalfCheetah()
    env.reset(0)
    x0 = env.get_state()["qpos"][0]
    act = np.array([2.0, -1, 0.5, 0, 0, 1], np.float32)  # outside the box: cost unclipped
    step = env.step(act)
    x1 = env.get_state()["qpos"][0]
    assert step.reward == (x1 - x0) / 0.05 - 0.1 * np.sum(np.square(act))
    assert not step.terminated


def test_reset_draws_are_numpys_pcg64():
    from ported_envs.halfcheetah_jax import pcg64
    for seed in list(range(300)) + [2**31 - 1, 2**40 + 5, 12345678901234567890]:
        g = np.random.default_rng(seed)
        q, v = pcg64.reset_noise(seed, 9, 9, 0.1)
        assert np.array_equal(g.uniform(-0.1, 0.1, 9), q) and np.array_equal(0.1 * g.standard_normal(9), v)
    g, mine = np.random.default_rng(7), pcg64.NumpyPCG64(7)
    z = g.standard_normal(100_000)  # reaches the ziggurat's tail (|z| > 3.654) and its wedges
    assert np.abs(z).max() > 3.66 and np.array_equal(z, mine.standard_normal(100_000))

"""The JAX port against the C reference, and the two XLA traps its numerics avoid."""
import numpy as np
import pytest

from adapters.pong_jax import PongJax
from adapters.puffer_pong import PufferPong
from suites.pong import SUITE
from tests.pong.test_reference import glibc_rand_window


@pytest.mark.parametrize("variant", list(SUITE.variants))
def test_lockstep_matches_reference(variant):
    config = SUITE.variants[variant]
    ref, port = PufferPong(**config), PongJax(**config)
    seeds = [11, 12, 13]
    r_trajs = ref.rollouts(seeds, SUITE.policy("random"), 4000, record_states=True)
    p_trajs = port.replays(seeds, [t.actions for t in r_trajs], record_states=True)
    for r, p in zip(r_trajs, p_trajs):
        assert r.length == p.length > 0
        assert not SUITE.outputs.compare(r.outputs, p.outputs)
        assert not SUITE.state.compare(r.states, p.states)


@pytest.mark.parametrize("seed", [0, 7, 2**31 - 1, 2**32 - 1])
def test_port_srand_is_glibc(seed):
    from ported_envs.pong_jax.glibc_rand import srand
    assert np.array_equal(np.asarray(srand(np.uint32(seed))), glibc_rand_window(seed, 0))


def _run(fn, *args):
    import jax
    from jax import lax
    single = np.asarray(jax.jit(fn)(*args))
    batched = np.asarray(jax.jit(jax.vmap(fn, in_axes=(0,) * (len(args) - 1) + (None,)))(*args))
    scanned = np.asarray(jax.jit(lambda *a: lax.scan(lambda c, _: (c, fn(*a)), 0, None, length=2)[1][-1])(*args))
    return single, batched, scanned


def test_division_is_exact_and_the_trap_is_real():
    from ported_envs.pong_jax.numerics import exact_div
    x = np.random.default_rng(0).uniform(-700, 700, 20_000).astype(np.float32)
    d = np.float32(640.0)
    want = (x / d).view(np.uint32)
    for got in _run(exact_div, x, d):
        assert np.array_equal(got.view(np.uint32), want)
    naive = _run(lambda x, d: x / d, x, d)[1]
    assert not np.array_equal(naive.view(np.uint32), want), "XLA no longer rewrites x/d: exact_div may go"


def test_products_are_rounded_before_adding():
    from ported_envs.pong_jax.numerics import rounded
    rng = np.random.default_rng(1)
    vy, a = rng.uniform(-13, 13, 20_000).astype(np.float32), rng.uniform(-1, 1, 20_000).astype(np.float32)
    want = (vy + np.float32(3) * a).view(np.uint32)

    def guarded(vy, a, c):
        return vy + rounded(c * a)
    for got in _run(guarded, vy, a, np.float32(3)):
        assert np.array_equal(got.view(np.uint32), want)


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="max_score"):
        PongJax(max_score=0)
    with pytest.raises(ValueError, match="unknown Pong settings"):
        PongJax(paddle=1)

"""One place for the Pong contract: suites/pong's state schema. Each implementation encodes its
own state (the C struct's fields, the JAX port's PongState); these tests check that both agree
with the suite, field by field, in name, dtype and shape."""
import numpy as np

from suites.pong import STATE, VARIANTS


def _agrees(state: dict, who: str) -> None:
    assert set(state) == set(STATE.names()), f"{who}: fields {sorted(state)} vs the suite's {STATE.names()}"
    for f in STATE:
        v = np.asarray(state[f.name])
        assert (v.dtype, v.shape) == (f.np_dtype, tuple(f.shape)), (
            f"{who}: field {f.name!r} is {v.dtype}{v.shape}, the suite says {f.dtype}{tuple(f.shape)}")


def test_the_c_reference_encodes_the_suite_schema():
    from adapters.puffer_pong import PufferPong
    for name, config in VARIANTS.items():
        env = PufferPong(**config)
        env.reset(3)
        _agrees(env.get_state(), f"puffer_pong ({name})")
        env.close()


def test_the_jax_port_encodes_the_suite_schema():
    from adapters.pong_jax import PongJax
    for name, config in VARIANTS.items():
        port = PongJax(**config)
        port.reset(3)
        _agrees(port.get_state(), f"pong_jax ({name})")
        _agrees(port._template(), f"pong_jax's template ({name})")

"""The port, in JAX: the same rules as a pure, jittable step (gymnax style)."""
import jax
import jax.numpy as jnp

LENGTH, HORIZON = 10, 50


def _xorshift32(x):
    x = x ^ (x << 13)
    x = x ^ (x >> 17)
    return x ^ (x << 5)


@jax.jit
def step(s: dict, action):
    r = _xorshift32(s["rng"])
    move = jnp.where(r % 4 == 0, 0, jnp.where(action == 1, 1, -1))
    pos = jnp.clip(s["pos"] + move, 0, LENGTH)
    t = s["t"] + 1
    done = pos == LENGTH
    reward = jnp.where(done, jnp.float32(1.0), jnp.float32(-0.01))
    return {"pos": pos, "t": t, "rng": r}, reward, done, (t >= HORIZON) & ~done

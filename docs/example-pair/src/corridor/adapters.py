"""The two adapters: each shows its implementation to equiv in the family's canonical terms."""
import numpy as np

import equiv
from corridor import reference


def canonical(s) -> dict:
    return {"pos": np.int32(s["pos"]), "t": np.int32(s["t"]), "rng": np.uint32(s["rng"])}


class CorridorPython(equiv.Adapter):
    family = "corridor"
    randomness = "corridor-xorshift32"  # the port reproduces this generator: lockstep from seeds
    role = "reference"

    def reset(self, seed):
        self.s = reference.reset(seed)
        return np.int32(self.s["pos"])

    def step(self, action):
        self.s, reward, terminated, truncated = reference.step(self.s, int(action))
        return equiv.Step(np.int32(self.s["pos"]), np.float32(reward), terminated, truncated)

    def get_state(self):
        return canonical(self.s)

    def set_state(self, state):
        self.s = {k: int(state[k]) for k in ("pos", "t", "rng")}

    def provenance(self):
        return {"name": "corridor (Python)", "version": "0.1.0"}


class CorridorJax(equiv.Adapter):
    family = "corridor"
    randomness = "corridor-xorshift32"
    requires = ("jax",)

    def reset(self, seed):
        self.set_state(canonical(reference.reset(seed)))  # the start is shared; the steps are JAX
        return np.int32(self.s["pos"])

    def step(self, action):
        from corridor import port
        self.s, reward, terminated, truncated = port.step(self.s, np.int32(action))
        return equiv.Step(np.int32(self.s["pos"]), np.float32(reward), bool(terminated), bool(truncated))

    def get_state(self):
        return canonical({k: np.asarray(v) for k, v in self.s.items()})

    def set_state(self, state):
        import jax.numpy as jnp
        self.s = {"pos": jnp.int32(state["pos"]), "t": jnp.int32(state["t"]), "rng": jnp.uint32(state["rng"])}

    def provenance(self):
        import jax
        return {"name": "corridor (JAX)", "version": "0.1.0", "jax": jax.__version__}

"""halfcheetah_jax: Gymnasium's HalfCheetah-v5 with our own rigid-body physics in pure JAX.

No mujoco and no MJX at run time: the model's constants are extracted once at set-up from
the pinned MuJoCo (``generate_model.py`` -> ``build/model.json``), and the physics is written
here, following MuJoCo's algorithms step for step (see each module):

- :mod:`.smooth`: forward kinematics, subtree centres of mass, composite-rigid-body mass
  matrix with armature, recursive Newton-Euler bias forces, springs, dampers, motors;
- :mod:`.collision`: capsule-plane contacts, two per capsule;
- :mod:`.constraint`: joint limits and pyramidal frictional contacts with MuJoCo's soft
  constraint model (solref/solimp impedance, reference acceleration);
- :mod:`.solver`: MuJoCo's primal Newton solver with its exact line search and stopping rules;
- :mod:`.physics`: ``mj_step`` with the Euler integrator and implicit dof damping;
- :mod:`.env`: the env (``reset``/``reset_from_seed``/``step``, gymnax style: pure, ``jit``,
  ``vmap``, ``lax.scan``; ``batch_step`` for large batches), float32 by default, float64 with x64;
- :mod:`.pcg64`: numpy's PCG64 + ziggurat, so ``reset_from_seed(s)`` equals
  ``gymnasium.make("HalfCheetah-v5").reset(seed=s)``.
"""
from ported_envs.halfcheetah_jax.env import (
    FIELDS, EnvParams, EnvState, batch_step, control_cost, make_params, observe, reset, reset_from_seed, step,
)

__all__ = ["FIELDS", "EnvParams", "EnvState", "batch_step", "control_cost", "make_params", "observe", "reset",
           "reset_from_seed", "step"]

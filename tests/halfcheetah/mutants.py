"""Deliberately broken copies of halfcheetah_jax, one physical rule changed in each.

Each mutant is a :class:`HalfCheetahJax` subclass that changes one value or setting the port
exposes (``model_transform`` on the generated model's values, ``env_settings`` on the env),
so the physics code itself is the real one. The gate must catch every one of them
(tests/halfcheetah/test_mutations.py).
"""
from __future__ import annotations

import dataclasses

import numpy as np

import equiv
from adapters.halfcheetah_jax import HalfCheetahJax


def _armature(model):
    """Rotor armature doubled on every hinge (0.1 -> 0.2 kg m^2)."""
    return dataclasses.replace(model, dof_armature=np.asarray(model.dof_armature) * 2)


def _friction(model):
    """The pyramidal cone's sliding friction scaled by 1.5 (mu 0.4 -> 0.6)."""
    f = np.array(model.pair_friction, copy=True)
    f[:, :2] *= 1.5
    return dataclasses.replace(model, pair_friction=f)


MUTATIONS = {
    "armature_doubled": ("every hinge's armature doubled", {"model_transform": staticmethod(_armature)}),
    "no_implicit_damping": ("dof damping integrated explicitly (MuJoCo's eulerdamp off)",
                            {"env_settings": {"eulerdamp": False}}),
    "friction_cone_scaled": ("sliding friction of the pyramidal cone scaled by 1.5",
                             {"model_transform": staticmethod(_friction)}),
}


def adapter_class(name: str, aligned: bool = True) -> type:
    """The mutant's adapter. ``aligned=False`` declares its randomness its own and its step not
    comparable from a state, so only the per-side checks and statistics can judge it."""
    doc, attrs = MUTATIONS[name]
    attrs = {**attrs, "mutation": name, "__doc__": doc, "__module__": __name__}
    if not aligned:
        attrs.update(randomness=None, deterministic_step=False)
    cls = type(f"Mutant_{name}{'' if aligned else '_unaligned'}", (HalfCheetahJax,), attrs)
    globals()[cls.__name__] = cls
    return cls


def register(name: str, aligned: bool = True) -> str:
    """Register the mutant's adapter with equiv; return its adapter name."""
    cls = adapter_class(name, aligned)
    adapter = f"halfcheetah_mutant_{name}{'' if aligned else '_unaligned'}"
    equiv.register_adapter(adapter, f"{__name__}:{cls.__name__}")
    return adapter

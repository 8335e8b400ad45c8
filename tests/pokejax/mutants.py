"""Deliberately broken pokejax ports: one game-data rule changed in each, registered as adapters
for tests/pokejax/test_gate_detects.py. Each mutant is the real engine compiled over altered
tables, so it is wrong exactly where that rule is used and right everywhere else."""
from __future__ import annotations

import dataclasses

import jax
import numpy as np

from adapters.pokejax import PokeJax
from equiv import register_adapter

# name: (what changed, Tables -> the fields to replace)
MUTATIONS = {
    "crit_double_speed": ("crit chance from twice the base Speed (gen 1: base Speed / 2 in 256)",
                          lambda t: {"base_spe": t.base_spe * 2}),
    "recoil_third": ("recoil moves lose 1/3 of the damage dealt instead of 1/4",
                     lambda t: {"m_recoil_den": np.where(t.m_recoil_den == 4, 3, t.m_recoil_den)}),
    "status_moves_miss": ("primary-status moves (Thunder Wave, Sleep Powder...) never inflict it",
                          lambda t: {"m_status": np.zeros_like(t.m_status)}),
}
# name: (what changed, engine constants to replace while the mutant's engine is traced): edge
# mutants, right everywhere but at one limit
ENGINE_MUTATIONS = {
    "stage6_times_3_9": ("a stat at stage +6 is multiplied by 3.9 instead of 4 (wrong only at the +6 limit)",
                         {"BOOST_UP": (100, 150, 200, 250, 300, 350, 390)}),
    "damage_cap_998": ("getDamage clamps the base damage at 998 instead of 997 (wrong only where a hit reaches "
                       "the cap: a +6 attacker on a -6 defender)", {"DAMAGE_CAP": 998}),
}


def _patched(fn, constants: dict):
    """``fn`` run with the engine's module constants replaced (the jitted step is traced on its
    first call, so the mutant's compiled engine carries the changed constants)."""
    from ported_envs.pokejax import engine

    def call(*args, **kwargs):
        saved = {name: getattr(engine, name) for name in constants}
        for name, value in constants.items():
            setattr(engine, name, value)
        try:
            return fn(*args, **kwargs)
        finally:
            for name, value in saved.items():
                setattr(engine, name, value)
    return call


class Mutant(PokeJax):
    mutation = ""

    def __init__(self, **config):
        super().__init__(**config)
        from ported_envs.pokejax import engine
        env, debug = self.env, bool(self.config.get("debug"))
        if self.mutation in ENGINE_MUTATIONS:
            constants = ENGINE_MUTATIONS[self.mutation][1]
            env.step = _patched(jax.jit(engine.make_step(env.tables, env.kind, debug=debug, format=env.format)),
                                constants)
            env.step_batch = None  # the batched paths stay unmutated: L1 (the one-step path) only
            return
        env.tables = dataclasses.replace(env.tables, **MUTATIONS[self.mutation][1](env.tables))
        env.step = jax.jit(engine.make_step(env.tables, env.kind, debug=debug, format=env.format))
        env.step_batch = engine.make_batch_step(env.tables, env.kind, debug=debug, format=env.format)


def register(name: str) -> str:
    """Register mutant ``name`` with equiv as adapter ``pokejax_<name>``; return that name."""
    doc = (MUTATIONS.get(name) or ENGINE_MUTATIONS[name])[0]
    cls = type(f"Mutant_{name}", (Mutant,), {"mutation": name, "__doc__": doc,
                                             "__module__": __name__})
    globals()[cls.__name__] = cls
    adapter = f"pokejax_{name}"
    register_adapter(adapter, f"{__name__}:{cls.__name__}")
    return adapter

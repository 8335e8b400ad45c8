"""pokejax (JAX gen-1 singles engine, ported_envs/pokejax) as the pokemon family's port.

Same contract as ``ts_showdown``: ``step(np.array([a_p1, a_p2]))`` over the action slots of
``suites.pokemon.schema.ACTIONS``, legal mask (2, 14), observation ``schema.observation`` (computed
in JAX from the same layout), reward +1/-1/0 for p1 at the end, canonical state in and out.
Randomness is Showdown's own PRNG (sodium ChaCha20 by default), drawn at the same points, so
lockstep comparison against ``ts_showdown`` is possible. ``reset(seed)`` starts from the initial
state Showdown produces for that seed (made at set-up by ported_envs/pokejax/setup.sh).
Set ``debug=True`` to record each step's draw tape as ``Step.info["tape"]`` ([lo, hi, value] rows).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from equiv import Adapter, AdapterError, Step

_ROOT = Path(__file__).resolve().parents[1]


class PokeJax(Adapter):
    family = "pokemon"
    randomness = "showdown-prng"
    role = "ported"
    requires = ("jax",)

    def __init__(self, format: str = "gen1customgame", max_turns: int = 1000, prng: str = "sodium",
                 debug: bool = False, **config):
        super().__init__(format=format, max_turns=max_turns, prng=prng, debug=debug, **config)
        unknown = {k: v for k, v in config.items() if k not in ("processes", "timeout", "record_tape", "faults")}
        if unknown:
            raise ValueError(f"pokejax does not know the settings {sorted(unknown)}; it takes format, "
                             f"max_turns, prng and debug")
        from ported_envs.pokejax.env import PokeJaxEnv
        self.env = PokeJaxEnv(format, prng, debug=bool(debug) or bool(config.get("record_tape")))
        self.max_turns = int(max_turns)
        self._st = None

    @classmethod
    def missing(cls) -> str | None:
        base = super().missing()
        if base:
            return base
        from suites.pokemon import schema
        if not schema.data_path().is_file():
            return f"the gen-1 data file {schema.data_path()} is missing; run ./dev.sh setup"
        starts = _ROOT / "ported_envs" / "pokejax" / "build" / "starts_gen1customgame.json"
        if not starts.is_file():
            return f"{starts} is missing; run ./dev.sh setup (or bash ported_envs/pokejax/setup.sh)"
        return None

    def _need(self):
        if self._st is None:
            raise AdapterError("pokejax: no battle; call reset(seed) or set_state(state) first", adapter="pokejax")

    def _obs(self):
        from ported_envs.pokejax.env import observation
        return np.asarray(observation(self._st))

    def reset(self, seed: int):
        self._st = self.env.initial_state(int(seed))
        return self._obs()

    def step(self, action) -> Step:
        self._need()
        a = np.asarray(action, np.int32).reshape(2)
        mask = np.asarray(self.env.legal(self._st))
        for s in (0, 1):
            if not mask[s, a[s]]:
                from suites.pokemon import schema
                legal = [schema.ACTIONS[k] for k in np.flatnonzero(mask[s])]
                raise AdapterError(f"pokejax: p{s + 1} action {a[s]} ({schema.ACTIONS[a[s]]}) is not legal now; "
                                   f"legal: {legal}", adapter="pokejax")
        self._st, ((tape, n), overflow) = self._unpack(self.env.step(self._st, a))
        info = {}
        if tape is not None:
            info["tape"] = np.asarray(tape)[: int(n)].tolist()
        if bool(overflow):
            raise AdapterError("pokejax: a step needed more PRNG draws than engine.DRAWS_PER_STEP; raise it",
                               adapter="pokejax")
        from ported_envs.pokejax.env import reward
        ended = bool(self._st["ended"])
        truncated = (not ended) and int(self._st["turn"]) >= self.max_turns
        return Step(self._obs(), np.float32(reward(self._st)), ended, truncated, info)

    @staticmethod
    def _unpack(out):
        st, (tape, over) = out
        return st, ((None, 0) if tape is None else tape, over)

    def legal_actions(self):
        self._need()
        return np.asarray(self.env.legal(self._st), bool)

    def get_state(self) -> dict:
        self._need()
        from ported_envs.pokejax.env import to_numpy
        return to_numpy(self._st)

    def set_state(self, state: dict) -> None:
        from ported_envs.pokejax.env import to_jnp
        from suites.pokemon import schema
        self._st = to_jnp(schema.STATE.coerce(state, "pokejax.set_state input"))

    def provenance(self) -> dict:
        h = hashlib.sha256()
        for p in sorted((_ROOT / "ported_envs" / "pokejax").glob("*.py")):
            h.update(p.read_bytes())
        import jax
        return {"name": "pokejax", "version": "0.1", "hash": h.hexdigest()[:16], "jax": jax.__version__,
                "prng": self.config["prng"]}

"""One side of a pair: an adapter plus validation and error wrapping.

Every value an adapter returns passes through here, so a missing field, a wrong
shape or a NaN is reported once, naming the adapter and the field, and any
exception an adapter raises becomes an AdapterError that says which side it was.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from equiv._adapter import Adapter, Trajectory
from equiv._errors import AdapterError, EquivError
from equiv._watchdog import Watchdog


class Side:
    def __init__(self, adapter: Adapter, suite, label: str, name: str, watchdog=None):
        self.adapter, self.suite, self.label, self.name = adapter, suite, label, name
        self.wants_legal = "legal" in suite.outputs
        self.watchdog = watchdog or Watchdog(None)
        self.steps = 0  # steps since the last reset or injected state: where a failure happened

    def _who(self, what: str) -> str:
        return f"{self.label} adapter {self.name!r} {what}"

    def _where(self) -> str:
        return f" (step {self.steps} since the last reset or injected state)" if self.steps else ""

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            with self.watchdog.call(self._who(what), self._where, self.label, self.name):
                return fn(*args, **kwargs)
        except EquivError as e:
            if isinstance(e, AdapterError) and not e.adapter:
                e.side, e.adapter = self.label, self.name
            raise
        except Exception as e:  # an adapter bug: say where it came from
            raise AdapterError(f"{self._who(what)} raised {type(e).__name__}: {e}",
                               side=self.label, adapter=self.name) from e

    # --- single steps ---------------------------------------------------------
    def reset(self, seed: int):
        self.steps = 0
        return self._call(f"reset({seed})", self.adapter.reset, int(seed))

    def state(self) -> dict:
        raw = self._call("get_state()", self.adapter.get_state)
        return self.suite.state.coerce(raw, self._who("get_state()"))

    def inject(self, state: Mapping) -> None:
        self.steps = 0
        self._call("set_state()", self.adapter.set_state, {k: np.asarray(v) for k, v in state.items()})

    def legal(self):
        return self._call("legal_actions()", self.adapter.legal_actions)

    def step(self, action) -> dict:
        """One transition; returns the validated output record."""
        s = self._call(f"step({action!r})", self.adapter.step, action)
        self.steps += 1
        legal = self.legal() if self.wants_legal else None
        return self.suite.outputs.coerce(s.outputs(legal), self._who(f"step() (step {self.steps - 1} since the "
                                                                     f"last reset or injected state)"))

    def transition(self, state: Mapping, action) -> tuple[dict, dict]:
        """Inject ``state``, take ``action``: (outputs, next state)."""
        self.inject(state)
        out = self.step(action)
        return out, self.state()

    # --- whole sequences --------------------------------------------------------
    def replays(self, starts: Sequence, actions: Sequence, record_states: bool = True) -> list[Trajectory]:
        trajs = self._call("replays()", self.adapter.replays, list(starts), list(actions), record_states)
        return [self._check(t, "replay()") for t in trajs]

    def rollouts(self, seeds: Sequence[int], policy, max_steps: int, record_states=False) -> list[Trajectory]:
        trajs = self._call(f"rollouts({policy.name})", self.adapter.rollouts, list(seeds), policy,
                           int(max_steps), record_states)
        if len(trajs) != len(seeds):
            raise AdapterError(f"{self._who('rollouts()')} returned {len(trajs)} trajectories for "
                               f"{len(seeds)} seeds", side=self.label, adapter=self.name)
        return [self._check(t, "rollouts()") for t in trajs]

    def _check(self, t: Trajectory, what: str) -> Trajectory:
        if t.length:
            who = self._who(what + (f" episode (seed {t.seed})" if t.seed is not None else ""))
            t.outputs = self.suite.outputs.coerce(t.outputs, who, leading=1)
            if t.states is not None:
                t.states = self.suite.state.coerce(t.states, who, leading=1)
        return t

    def provenance(self) -> dict:
        try:
            p = dict(self.adapter.provenance())
        except Exception as e:
            p = {"error": f"provenance() raised {type(e).__name__}: {e}"}
        p.setdefault("adapter", self.name)
        p.setdefault("randomness", type(self.adapter).randomness)
        return p

    def close(self) -> None:
        try:
            self.adapter.close()
        except Exception:
            pass

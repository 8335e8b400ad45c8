"""Comparing one transition, or two trajectories step by step."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from equiv._adapter import Trajectory
from equiv._schema import Mismatch, _jsonable, _short

STATE = "state."


def compare_step(suite, ref_out: dict, ref_state: dict | None, port_out: dict,
                 port_state: dict | None, layer: str | None = None, variant: str | None = None) -> list[Mismatch]:
    """Every differing output and state field of one transition (tolerances of ``layer`` in ``variant``)."""
    found = suite.outputs.at(layer, variant).compare(ref_out, port_out)
    if ref_state is not None and port_state is not None:
        found += suite.state.at(layer, variant).compare(ref_state, port_state, prefix=STATE)
    return found


def split_borderline(suite, mismatches: list, before, action, ref_out: dict,
                     ref_state) -> tuple[list, list]:
    """(divergences, borderline): a disagreement on a threshold-decided flag whose deciding
    quantity lay within its tolerance of the threshold is borderline, not a divergence."""
    kept, borderline = [], []
    for m in mismatches:
        th = suite.threshold(m.field)
        if th is None:
            kept.append(m)
            continue
        margin = th.margin(before, action, ref_out, ref_state)
        within = margin is not None and abs(float(margin)) <= th.within
        shown = "unknown" if margin is None else f"{float(margin):.3g}"
        note = (f"borderline: the deciding quantity was {shown} from its threshold, within its "
                f"tolerance {th.within:.3g}" if within else
                f"decided {shown} from its threshold, beyond its tolerance {th.within:.3g}")
        (borderline if within else kept).append(Mismatch(m.field, m.reference, m.ported, m.tolerance,
                                                         m.where, note))
    return kept, borderline


@dataclass
class Divergence:
    """The first step at which two recordings differ."""

    step: int | None
    mismatches: list
    seed: int | None = None
    action: object = None
    previous_state: dict | None = None
    reference: dict | None = None
    ported: dict | None = None
    case: dict | None = None
    detail: str | None = None
    tape: str | None = None
    borderline: list = field(default_factory=list)  # threshold flags that differed within tolerance

    @property
    def is_borderline(self) -> bool:
        """Only threshold flags differed, each within its tolerance of the threshold."""
        return not self.mismatches and bool(self.borderline)

    @property
    def field_names(self) -> list[str]:
        return [m.field for m in self.mismatches]

    def headline(self) -> str:
        where = f"step {self.step}" if self.step is not None else "the transition"
        seed = f" (seed {self.seed})" if self.seed is not None else ""
        if self.is_borderline:
            return f"borderline at {where}{seed}: " + ", ".join(m.field for m in self.borderline)
        return f"first divergence at {where}{seed}: " + ", ".join(self.field_names)

    def describe(self) -> str:
        lines = [self.headline()]
        if self.previous_state is not None:
            label = "from state" if self.step is None else "previous state"
            state = ", ".join(f"{k}={_short(v, 60)}" for k, v in self.previous_state.items())
            lines.append(f"  {label}: {state}")
        if self.action is not None:
            lines.append(f"  action: {_jsonable(np.asarray(self.action))}")
        lines += [f"  {m}" for m in self.mismatches]
        lines += [f"  {m}" for m in self.borderline]
        if self.detail:
            lines.append(self.detail)
        if self.tape:
            lines.append(self.tape)
        return "\n".join(lines)

    def to_json(self) -> dict:
        def plain(d):
            return None if d is None else {k: _jsonable(np.asarray(v)) for k, v in d.items()}
        return {"step": self.step, "seed": self.seed, "action": _jsonable(np.asarray(self.action))
                if self.action is not None else None,
                "fields": [m.to_json() for m in self.mismatches],
                "borderline": [m.to_json() for m in self.borderline],
                "previous_state": plain(self.previous_state), "reference": plain(self.reference),
                "ported": plain(self.ported), "case": self.case, "tape": self.tape, "detail": self.detail}


def _record(traj: Trajectory, t: int) -> tuple[dict, dict | None]:
    out = {k: v[t] for k, v in traj.outputs.items()}
    st = None if traj.states is None else {k: v[t] for k, v in traj.states.items()}
    return out, st


def _first_bad_step(schema, ref: dict, port: dict, horizon: int) -> int | None:
    first = None
    for name, f in schema.fields.items():
        r, p = f.arrays(np.asarray(ref[name])[:horizon], np.asarray(port[name])[:horizon])
        if r.dtype != p.dtype or r.shape != p.shape or r.dtype != f.np_dtype:
            return 0
        bad = f.tolerance.violations(r, p).reshape(horizon, -1).any(axis=1)
        idx = np.flatnonzero(bad)
        if idx.size and (first is None or idx[0] < first):
            first = int(idx[0])
    return first


def first_divergence(suite, ref: Trajectory, port: Trajectory, initial_state: dict | None = None,
                     layer: str | None = None, variant: str | None = None) -> Divergence | None:
    """The first step where the recordings differ (fields, lengths or actions).

    A step whose only differences are borderline threshold flags ends the comparison (the two
    episodes legitimately part there): the result then has no mismatches and says
    ``is_borderline``."""
    horizon = min(ref.length, port.length)
    step = None
    if horizon:
        step = _first_bad_step(suite.outputs.at(layer, variant), ref.outputs, port.outputs, horizon)
        if ref.states is not None and port.states is not None:
            s2 = _first_bad_step(suite.state.at(layer, variant), ref.states, port.states, horizon)
            if s2 is not None and (step is None or s2 < step):
                step = s2
    if step is None and ref.length == port.length:
        return None
    prev_of = (lambda t: _record(ref, t - 1)[1] if t > 0 else initial_state) if ref.states is not None \
        else (lambda t: initial_state if t == 0 else None)
    if step is None:  # identical up to the shorter one; the lengths differ
        step = horizon
        longer, which = (ref, "reference") if ref.length > port.length else (port, "ported")
        note = (f"the {which} episode goes on for {longer.length - horizon} more step(s): reference "
                f"length {ref.length}, ported length {port.length}")
        mism = [Mismatch("length", ref.length, port.length, "exact", note=note)]
        return Divergence(step, mism, seed=ref.seed, previous_state=prev_of(step),
                          action=ref.actions[step] if step < ref.length else None)
    r_out, r_st = _record(ref, step)
    p_out, p_st = _record(port, step)
    prev = prev_of(step)
    mism, borderline = split_borderline(suite, compare_step(suite, r_out, r_st, p_out, p_st, layer, variant),
                                        prev, ref.actions[step], r_out, r_st)
    return Divergence(step, mism, seed=ref.seed, action=ref.actions[step], previous_state=prev,
                      reference={**r_out, **({STATE + k: v for k, v in r_st.items()} if r_st else {})},
                      ported={**p_out, **({STATE + k: v for k, v in p_st.items()} if p_st else {})},
                      borderline=borderline)

"""Comparing whole episodes step by step: free-running, or teacher-forced in segments.

L2 traces and L3 lockstep both hand a reference recording (with its states) to
:func:`compare_episodes`, which replays the same actions on the port and compares every
step. Exact pairs compare whole episodes free-running. A suite with ``sync_every = k``
(chaotic dynamics, a port in another float precision) re-synchronises the port to the
reference's state every k steps and compares each k-step segment under the layer's
tolerances; the free-running error against horizon is measured beside it, for the port
and for the reference against itself perturbed by one ulp (its own sensitivity).

Nothing stops at an excused or borderline difference: those are counted and the
comparison goes on; the first unexcused divergence is the finding.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from equiv._adapter import Trajectory
from equiv._compare import Divergence, first_divergence
from equiv._errors import AdapterError

GROWTH_LEVELS = (0.5, 0.9)  # quantiles of the per-episode error shown against horizon
SENSITIVITY_RUNS = 4  # perturbed reference runs per segment given a second look


@dataclass
class Tally:
    """What a run of episode comparisons found."""

    episodes: int = 0
    steps: int = 0
    segments: int = 0
    identical: int = 0  # episodes with no difference at all
    borderline: int = 0  # episodes (or segments) whose only difference was a threshold flag within tolerance
    sensitive: int = 0  # segments over tolerance, within the suite's factor of the reference's own sensitivity
    first_sensitive: str = ""  # what the first of those was
    excused: Counter = field(default_factory=Counter)  # ledger id -> segments it excused
    diverged: int = 0
    first: Divergence | None = None  # the first unexcused divergence
    first_borderline: Divergence | None = None

    def summary(self, unit: str = "episodes") -> str:
        parts = [f"{self.identical} matching at every step"]
        if self.borderline:
            parts.append(f"{self.borderline} borderline ({_fields(self.first_borderline)})")
        if self.sensitive:
            parts.append(f"{self.sensitive} segments over tolerance but within the reference's own one-ulp "
                         f"sensitivity (first: {self.first_sensitive})")
        if self.excused:
            parts.append("excused by the ledger: " + ", ".join(f"{k} x{v}" for k, v in self.excused.items()))
        if self.diverged:
            parts.append(f"{self.diverged} diverged")
        seg = f" in {self.segments} teacher-forced segments" if self.segments else ""
        return f"{self.episodes} {unit}, {self.steps} steps{seg}: " + ", ".join(parts)

    def to_json(self) -> dict:
        return {"episodes": self.episodes, "steps": self.steps, "segments": self.segments,
                "identical": self.identical, "borderline": self.borderline,
                "within_reference_sensitivity": self.sensitive, "first_within_sensitivity": self.first_sensitive,
                "excused": dict(self.excused), "diverged": self.diverged}


def _fields(div: Divergence | None) -> str:
    return ", ".join(m.field for m in div.borderline) if div is not None else ""


def segment(traj: Trajectory, lo: int, hi: int) -> Trajectory:
    """Steps ``lo..hi-1`` of a recording."""
    return Trajectory(traj.seed, traj.actions[lo:hi], {k: v[lo:hi] for k, v in traj.outputs.items()},
                      None if traj.states is None else {k: v[lo:hi] for k, v in traj.states.items()},
                      traj.interrupted)


def _state_at(traj: Trajectory, t: int, start_state: dict) -> dict:
    """The reference's state before step ``t``."""
    return start_state if t == 0 else {k: v[t - 1] for k, v in traj.states.items()}


def compare_episodes(pair, port, spec_id: str, layer: str, refs: list, starts: list,
                     start_states: list, tally: Tally, on_divergence=None, variant: str | None = None,
                     reference=None) -> Tally:
    """Replay each reference recording on the port and compare every step.

    ``starts[i]`` is what the port replays from (a seed when the sides are aligned, else the
    reference's start state); ``start_states[i]`` the reference's start state (None when
    unknown). ``on_divergence(div, index)`` may add evidence before the first unexcused
    divergence is kept. Stops at that divergence; counts everything else. ``reference`` (its
    side) enables the suite's second look at segments against the reference's own sensitivity.
    """
    k = pair.suite.sync_every
    if k is None:
        plan = [(i, 0, ref.length) for i, ref in enumerate(refs)]
        port_starts, port_actions = starts, [r.actions for r in refs]
    else:
        plan = [(i, lo, min(lo + k, ref.length)) for i, ref in enumerate(refs)
                for lo in range(0, max(ref.length, 1), k)]
        port_starts = [starts[i] if lo == 0 else _state_at(refs[i], lo, start_states[i])
                       for i, lo, _ in plan]
        port_actions = [refs[i].actions[lo:hi] for i, lo, hi in plan]
    port_trajs = port.replays(port_starts, port_actions, record_states=True)
    clean = [True] * len(refs)
    done = len(refs)
    for (i, lo, hi), pt in zip(plan, port_trajs):
        ref = refs[i]
        tally.segments += k is not None
        div = first_divergence(pair.suite, segment(ref, lo, hi), pt,
                               initial_state=_state_at(ref, lo, start_states[i]), layer=layer,
                               variant=variant)
        if pt.interrupted and (div is None or div.step >= pt.length):
            raise AdapterError(f"{port.label} adapter {port.name!r}: its replay of episode {i + 1} "
                               f"(seed {ref.seed}) was cut short after {lo + pt.length} steps with nothing "
                               f"diverged before: {pt.interrupted}", side=port.label, adapter=port.name)
        if div is None:
            continue
        clean[i] = False
        if (k is not None and reference is not None and pair.suite.sensitivity and not div.is_borderline
                and pt.length == hi - lo):
            within = second_look(pair, reference, segment(ref, lo, hi), _state_at(ref, lo, start_states[i]), pt,
                                 layer, variant)
            if within:
                tally.sensitive += 1
                tally.first_sensitive = tally.first_sensitive or f"seed {ref.seed} steps {lo}-{hi - 1}: {within}"
                continue
        div.step = (div.step or 0) + lo
        div.seed = ref.seed
        if div.is_borderline:
            tally.borderline += 1
            tally.first_borderline = tally.first_borderline or div
            continue
        entry = pair.ledger.excuse(spec_id, div.field_names, div.mismatches)
        if entry is not None:
            tally.excused[entry.id] += 1
            continue
        tally.diverged += 1
        if on_divergence is not None:
            on_divergence(div, i, pt)
        tally.first, done = div, i + 1
        break
    tally.episodes += done
    tally.steps += sum(r.length for r in refs[:done])
    tally.identical += sum(clean[:done])
    return tally


# -- free-running error growth ---------------------------------------------------------------------

def perturbed(state: dict, precision=None, rng=None) -> dict:
    """Every float element of a state moved one ulp (of ``precision``, default its own dtype): up,
    or with ``rng`` up or down at random per element. The reference's own sensitivity."""
    out = {}
    for k, v in state.items():
        a = np.asarray(v)
        if a.dtype.kind != "f":
            out[k] = v
            continue
        low = a.astype(precision or a.dtype)
        # the direction in low's own dtype: a float64 one would promote low and move one float64 ulp
        toward = np.where(rng.random(a.shape) < 0.5, -np.inf, np.inf) if rng is not None else np.full(a.shape, np.inf)
        out[k] = (a + (np.nextafter(low, toward.astype(low.dtype)) - low).astype(a.dtype)).astype(a.dtype)
    return out


def _largest_errors(ref: Trajectory, other: Trajectory) -> dict:
    """Per float field of the outputs and states: the largest |a - b| over the recording."""
    out = {}
    for kind, a_rec, b_rec in (("outputs", ref.outputs, other.outputs), ("states", ref.states, other.states)):
        for name, a in (a_rec or {}).items():
            a = np.asarray(a)
            if a.dtype.kind != "f" or b_rec is None or name not in b_rec or a.size == 0:
                continue
            b = np.asarray(b_rec[name], np.float64)[:len(a)]
            out[(kind, name)] = float(np.max(np.abs(a.astype(np.float64)[:len(b)] - b)))
    return out


def second_look(pair, reference, ref_seg: Trajectory, start: dict, port_seg: Trajectory, layer: str,
                variant) -> str:
    """A segment over tolerance, judged against the reference's own sensitivity (``Suite.sensitivity``):
    the reference replays the segment with its state moved one ulp before every step (the rounding a
    different, correct float implementation makes at each step), in ``SENSITIVITY_RUNS`` runs with
    random directions (seeded by the segment); the suite's witness (a second implementation,
    ``Suite.witness``) replays it from the same start and in as many moved runs. Float fields whose
    error is within the factor of the largest of those are taken as the reference's. If nothing
    else differs, a line saying so, else ""."""
    factor, precision = pair.suite.sensitivity, pair.suite.sensitivity_precision.get(variant)
    noise = _moved_runs(reference, ref_seg, start, precision)
    if noise is None:
        return ""
    own = dict(noise)
    witness = pair.witness(variant) if variant is not None else None
    if witness is not None:
        for key, err in (_moved_runs(witness, ref_seg, start, precision, unmoved=True) or {}).items():
            noise[key] = max(noise.get(key, 0.0), err)
    port = _largest_errors(ref_seg, port_seg)
    forgiven = {key: (port[key], noise[key]) for key in port
                if key in noise and port[key] <= factor * noise[key] and port[key] > 0}
    if not forgiven:
        return ""
    fixed = Trajectory(port_seg.seed, port_seg.actions, dict(port_seg.outputs),
                       None if port_seg.states is None else dict(port_seg.states), port_seg.interrupted)
    for kind, name in forgiven:
        getattr(fixed, kind)[name] = getattr(ref_seg, kind)[name]
    if first_divergence(pair.suite, ref_seg, fixed, initial_state=start, layer=layer, variant=variant) is not None:
        return ""

    def yardstick(key, err):
        if witness is None or err <= own.get(key, 0.0):
            return f"reference moved one ulp at each step: {err:.2g}"
        return f"{witness.name} from the same start: {err:.2g}"
    return ", ".join(f"{name} {err:.2g} ({yardstick((kind, name), noise_err)})"
                     for (kind, name), (err, noise_err) in sorted(forgiven.items()))


def _moved_runs(side, ref_seg: Trajectory, start: dict, precision, unmoved: bool = False) -> dict | None:
    """The largest error against ``ref_seg``, per field, of ``side`` replaying the segment with its
    state moved one ulp (of ``precision``) before every step, over ``SENSITIVITY_RUNS`` runs (and,
    with ``unmoved``, one run from the start as it is). None when a replay comes back short."""
    noise = {}
    if unmoved:
        one, = side.replays([start], [ref_seg.actions], record_states=True)
        if one.length != ref_seg.length or one.states is None:
            return None
        noise.update(_largest_errors(ref_seg, one))
    for run in range(SENSITIVITY_RUNS):
        rng = np.random.default_rng([run, int(ref_seg.seed or 0), ref_seg.length])
        steps, state = [], start
        for t in range(ref_seg.length):
            one, = side.replays([perturbed(state, precision, rng)], [ref_seg.actions[t:t + 1]], record_states=True)
            if one.length != 1 or one.states is None:
                return None
            steps.append(one)
            state = {k: v[0] for k, v in one.states.items()}
        moved = Trajectory(ref_seg.seed, ref_seg.actions,
                           {k: np.concatenate([s.outputs[k] for s in steps]) for k in steps[0].outputs},
                           {k: np.concatenate([s.states[k] for s in steps]) for k in steps[0].states})
        for key, err in _largest_errors(ref_seg, moved).items():
            noise[key] = max(noise.get(key, 0.0), err)
    return noise


def errors(schema, ref: Trajectory, other: Trajectory) -> np.ndarray:
    """Per step: the largest |a - b| / (1 + |a|) over the float fields of the state."""
    n = min(ref.length, other.length)
    worst = np.zeros(n)
    for name, f in schema.fields.items():
        if f.np_dtype.kind != "f" or ref.states is None or other.states is None:
            continue
        a = np.asarray(ref.states[name][:n], np.float64).reshape(n, -1)
        b = np.asarray(other.states[name][:n], np.float64).reshape(n, -1)
        if a.shape[1] == 0:
            continue
        worst = np.maximum(worst, np.max(np.abs(a - b) / (1 + np.abs(a)), axis=1))
    return worst


@dataclass
class Growth:
    """Free-running error against horizon, for the port and for the perturbed reference."""

    port: list = field(default_factory=list)  # one array of per-step errors per episode
    reference: list = field(default_factory=list)

    def add(self, schema, ref_trajs, port_trajs, self_trajs) -> None:
        for r, p, s in zip(ref_trajs, port_trajs, self_trajs):
            self.port.append(errors(schema, r, p))
            self.reference.append(errors(schema, r, s))

    def to_json(self) -> dict | None:
        if not self.port:
            return None
        return {"error": "max over the state's float elements of |x - x_ref| / (1 + |x_ref|)",
                "ported": _quantiles(self.port), "reference_perturbed": _quantiles(self.reference)}

    def horizon(self, which: str, level: float) -> int | None:
        """The first step at which the median episode's error exceeds ``level``."""
        q = _quantiles(self.port if which == "ported" else self.reference)
        above = [t for t, v in enumerate(q["0.5"]) if v is not None and v > level]
        return above[0] if above else None


def _quantiles(runs: list) -> dict:
    """Per step, the quantiles of the error over the episodes still running."""
    horizon = max((len(r) for r in runs), default=0)
    out = {str(q): [] for q in GROWTH_LEVELS}
    for t in range(horizon):
        vals = np.asarray([r[t] for r in runs if len(r) > t])
        for q in GROWTH_LEVELS:
            out[str(q)].append(float(np.quantile(vals, q)))
    out["episodes"] = [int(sum(len(r) > t for r in runs)) for t in range(horizon)]
    return out

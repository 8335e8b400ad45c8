"""Calibration: tolerances and margins measured on the reference, never guessed.

``measure(ref, suite, variant, port_dtype)`` plays the reference and measures:

- **tolerances**: how far the reference's own outputs and next state move when its input state
  is perturbed by one unit in the last place *of the port's precision* (the rounding a
  float32 port of a float64 reference cannot avoid). For each float field: the largest
  one-step deviation (layer L1) and, for a suite that re-synchronises every k steps, the
  largest k-step deviation (layers L2 and L3). The proposed tolerance is ``atol = SAFETY x``
  that deviation, ``rtol = SAFETY x`` the port's machine epsilon (its own output rounding).
- **margins**: each metric's mean and standard deviation over independent reference episodes;
  the proposed margin is a third of a standard deviation (a shift a reviewer would call a
  real difference), and the episodes per side that TOST needs for 80 % power at that margin
  after Holm's correction over the suite's metrics — found by resampling the reference's own
  episodes, not from a normal approximation, because rare events (an Acrobot swung up by
  random play) give heavy tails that a standard deviation understates.

``equiv calibrate reference=X [ported=Y]`` writes the result as JSON; a suite reads it with
``load(path)``, and the report names the file behind every calibrated number.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from equiv._errors import ConfigError

SAFETY = 10.0  # tolerance = SAFETY x the deviation one port-precision ulp causes
MARGIN_SD = 1 / 3  # proposed margin in standard deviations of the reference's metric
ALPHA, POWER = 0.05, 0.8


@dataclass
class Calibration:
    reference: str
    port_dtype: str
    created: str
    episodes: int
    transitions: int
    sync_every: int | None
    safety: float = SAFETY
    # field -> layer ("L1" or "sync") -> {"deviation": max |dev|, "atol", "rtol"}
    tolerances: dict = field(default_factory=dict)
    # policy -> metric -> {"mean", "sd", "margin", "n_needed"}
    margins: dict = field(default_factory=dict)
    path: str | None = None

    def tolerance(self, name: str, layer: str = "L1"):
        from equiv._schema import close
        t = self.tolerances.get(name, {}).get(layer)
        if t is None:
            raise ConfigError(f"calibration {self.path or ''} has no {layer} tolerance for field {name!r}; "
                              f"re-run equiv calibrate")
        return close(t["atol"], t["rtol"])

    def margin(self, policy: str, metric: str) -> dict:
        try:
            return self.margins[policy][metric]
        except KeyError:
            raise ConfigError(f"calibration {self.path or ''} has no margin for metric {metric!r} under "
                              f"policy {policy!r}; re-run equiv calibrate") from None

    def source(self) -> str:
        return (f"calibrated on {self.reference} ({self.episodes} episodes, {self.transitions} perturbed "
                f"transitions, port precision {self.port_dtype}, {self.created})"
                + (f", {self.path}" if self.path else ""))

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        # Written whole, then renamed: a second process (pytest -n) reading the cache never sees half a file.
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(part, path)
        self.path = str(path)
        return path


def load(path: Path) -> Calibration:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
        cal = Calibration(**data)
    except (OSError, ValueError, TypeError) as e:
        raise ConfigError(f"{path} is not a calibration file equiv wrote ({e}); run equiv calibrate "
                          f"to make it") from None
    cal.path = str(path)
    return cal


def _ulp_shift(state: dict, schema, dtype: np.dtype, rng) -> dict:
    """The state as a port of precision ``dtype`` holds it, one ulp off in a random direction."""
    out = {}
    for name, f in schema.fields.items():
        v = np.asarray(state[name])
        if v.dtype.kind != "f":
            out[name] = v
            continue
        low = v.astype(dtype)
        toward = np.where(rng.random(low.shape) < 0.5, -np.inf, np.inf).astype(dtype)
        out[name] = np.nextafter(low, toward).astype(v.dtype)
    return out


def _deviation(schema, a: dict, b: dict, into: dict, prefix: str = "") -> None:
    for name, f in schema.fields.items():
        if f.np_dtype.kind != "f":
            continue
        d = np.abs(np.asarray(a[name], np.float64) - np.asarray(b[name], np.float64))
        key = prefix + name
        into[key] = max(into.get(key, 0.0), float(np.max(d)) if d.size else 0.0)


def measure(ref, suite, variant: str, port_dtype, episodes: int = 200, transitions: int = 200,
            sync_every: int | None = None, seed: int = 0, progress=None) -> Calibration:
    """Calibrate on one reference Side (see the module docstring)."""
    port_dtype = np.dtype(port_dtype)
    rng = np.random.default_rng(seed)
    seeds = [int(x) for x in rng.choice(2**30, episodes, replace=False)]
    margins = {}
    trajs_by_policy = {}
    for policy_name in suite.policy_names():
        policy = suite.policy(policy_name, variant)
        metrics = [m for m in suite.metrics if m.policies is None or policy_name in m.policies]
        if not metrics and policy_name != "random":
            continue
        max_steps = max(t.max_steps for t in suite.tiers.values())
        trajs = ref.rollouts(seeds, policy, max_steps, record_states=True)
        trajs_by_policy[policy_name] = trajs
        for m in metrics:
            values = np.asarray([float(m.extract(t)) for t in trajs])
            mean, sd = float(values.mean()), float(values.std(ddof=1)) if values.size > 1 else 0.0
            margin = max(sd * MARGIN_SD, 1e-2 * abs(mean), 1e-9)
            need = resampled_need(values, margin, ALPHA / max(1, len(suite.metrics)), rng)
            margins.setdefault(policy_name, {})[m.name] = {"mean": mean, "sd": sd, "margin": margin,
                                                           "n_needed": need}
        if progress:
            progress(f"calibrate: {episodes} reference episodes under {policy_name}")
    # Perturbed transitions from states the reference reaches by play.
    trajs = trajs_by_policy.get("random") or next(iter(trajs_by_policy.values()))
    picks = [(i, t) for i, tr in enumerate(trajs) for t in range(tr.length - 1)]
    chosen = [picks[j] for j in rng.choice(len(picks), min(transitions, len(picks)), replace=False)]
    dev1, devk = {}, {}
    for i, t in chosen:
        tr = trajs[i]
        state = {k: v[t] for k, v in tr.states.items()}
        shifted = _ulp_shift(state, suite.state, port_dtype, rng)
        acts = list(tr.actions[t + 1: t + 1 + (sync_every or 1)])
        a, b = ref.replays([state, shifted], [acts, acts])
        n = min(a.length, b.length)
        if n == 0:
            continue
        one_a = {**{k: v[0] for k, v in a.outputs.items()}}
        one_b = {**{k: v[0] for k, v in b.outputs.items()}}
        _deviation(suite.outputs, one_a, one_b, dev1)
        _deviation(suite.state, {k: v[0] for k, v in a.states.items()},
                   {k: v[0] for k, v in b.states.items()}, dev1, "state.")
        if sync_every:
            for s in range(n):
                _deviation(suite.outputs, {k: v[s] for k, v in a.outputs.items()},
                           {k: v[s] for k, v in b.outputs.items()}, devk)
                _deviation(suite.state, {k: v[s] for k, v in a.states.items()},
                           {k: v[s] for k, v in b.states.items()}, devk, "state.")
    eps = float(np.finfo(port_dtype).eps)
    tolerances = {}
    for key in dev1:
        tolerances[key] = {"L1": _tol(dev1[key], eps)}
        if sync_every:
            tolerances[key]["sync"] = _tol(max(devk.get(key, 0.0), dev1[key]), eps)
    return Calibration(reference=getattr(ref, "name", "?"), port_dtype=str(port_dtype),
                       created=_dt.date.today().isoformat(), episodes=episodes, transitions=len(chosen),
                       sync_every=sync_every, tolerances=tolerances, margins=margins)


RESAMPLES = 200
CANDIDATES = (25, 50, 100, 200, 400, 800, 1600, 3200)


def resampled_need(values: np.ndarray, margin: float, alpha: float, rng) -> int | None:
    """The smallest candidate n at which TOST shows equivalence in >= POWER of the trials that
    draw two samples of n from the reference's own episodes; None when even the largest fails."""
    from equiv._stats import tost
    for n in CANDIDATES:
        wins = sum(tost(rng.choice(values, n), rng.choice(values, n), margin, alpha).p < alpha
                   for _ in range(RESAMPLES))
        if wins >= POWER * RESAMPLES:
            return n
    return None


def _tol(deviation: float, eps: float) -> dict:
    # A field the perturbation never moves still carries the port's own rounding: a few ulps
    # of eps, so a float32 port of a constant is not failed for its last bit.
    return {"deviation": deviation, "atol": SAFETY * max(deviation, eps * 1e-6),
            "rtol": SAFETY * eps}


def describe(cal: Calibration) -> str:
    lines = [cal.source(), "tolerances (atol / rtol; the one-ulp deviation they come from):"]
    for key, layers in sorted(cal.tolerances.items()):
        parts = [f"{layer} {t['atol']:.3g} / {t['rtol']:.3g} (dev {t['deviation']:.3g})"
                 for layer, t in layers.items()]
        lines.append(f"  {key}: " + "; ".join(parts))
    lines.append("margins (mean, sd -> margin; episodes per side for 80% power):")
    for policy, metrics in cal.margins.items():
        for name, m in metrics.items():
            lines.append(f"  {policy}/{name}: {m['mean']:.4g} +- {m['sd']:.4g} -> +-{m['margin']:.4g}; "
                         f"{m['n_needed'] if m['n_needed'] is not None else '?'}")
    return "\n".join(lines)


def cache_dir() -> Path:
    return Path(os.environ.get("EQUIV_CACHE", ".equiv-cache")) / "calibration"


def needed(n: int | None, floor: int, cap: int) -> int:
    return int(min(cap, max(floor, math.ceil(n or floor))))

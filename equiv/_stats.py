"""Equivalence statistics for L3: is a per-episode metric the same on both sides?

Equivalence is shown, not assumed: TOST (two one-sided Welch t-tests) must reject
"the means differ by at least the declared margin". A difference test (KS for
continuous metrics, chi-square for categorical ones) looks for a change in shape
that the means alone would miss. Holm's step-down method corrects both families of
p-values for the number of metrics. When TOST cannot conclude, a power estimate says
how many episodes per side would let it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np
from scipy import stats

from equiv._errors import ConfigError

KINDS = ("continuous", "categorical")
_NORMAL_DF = 1e7  # beyond this many degrees of freedom the t distribution is the normal
_MIN_EXPECTED = 5  # chi-square's asymptotic p-value is unreliable below this expected count
_MONTE_CARLO_RESAMPLES = 4999


@dataclass(frozen=True)
class TostResult:
    diff: float  # mean(port) - mean(ref)
    se: float
    df: float
    p_lower: float  # H0: diff <= -margin
    p_upper: float  # H0: diff >= +margin
    p: float  # max(p_lower, p_upper): equivalence is shown when p < alpha
    ci: tuple  # the (1 - 2 alpha) confidence interval of diff


@dataclass(frozen=True)
class DiffResult:
    test: str  # "ks" or "chi2"
    statistic: float
    p: float


def tost(ref, port, margin: float, alpha: float = 0.05) -> TostResult:
    """Welch TOST of ``mean(port) - mean(ref)`` against ``[-margin, +margin]``."""
    ref, port = _sample(ref, "ref"), _sample(port, "port")
    margin = _margin(margin)
    nan = float("nan")
    if ref.size < 2 or port.size < 2:  # no variance estimate: cannot conclude
        diff = float(port.mean() - ref.mean()) if ref.size and port.size else nan
        return TostResult(diff, nan, nan, 1.0, 1.0, 1.0, (nan, nan))
    diff = float(port.mean() - ref.mean())
    v_ref, v_port = _var(ref) / ref.size, _var(port) / port.size
    se = math.sqrt(v_ref + v_port)
    if se == 0.0:  # both sides constant: the difference is known exactly
        p_lower = 0.0 if diff > -margin else 1.0
        p_upper = 0.0 if diff < margin else 1.0
        return TostResult(diff, 0.0, math.inf, p_lower, p_upper, max(p_lower, p_upper),
                          (diff, diff))
    df = (v_ref + v_port) ** 2 / (v_ref ** 2 / (ref.size - 1) + v_port ** 2 / (port.size - 1))
    dist = stats.norm if df > _NORMAL_DF else stats.t(df)
    p_lower = float(dist.sf((diff + margin) / se))
    p_upper = float(dist.cdf((diff - margin) / se))
    half = float(dist.ppf(1 - alpha)) * se
    return TostResult(diff, se, float(df), p_lower, p_upper, max(p_lower, p_upper),
                      (diff - half, diff + half))


def difference_test(ref, port, kind: str) -> DiffResult:
    """Two-sided test of "same distribution": KS (continuous) or chi-square (categorical)."""
    ref, port = _sample(ref, "ref"), _sample(port, "port")
    if kind == "continuous":
        if ref.size == 0 or port.size == 0:
            return DiffResult("ks", float("nan"), 1.0)
        res = stats.ks_2samp(ref, port, alternative="two-sided")
        return DiffResult("ks", float(res.statistic), float(res.pvalue))
    if kind == "categorical":
        categories = np.union1d(ref, port)
        if categories.size < 2:
            return DiffResult("chi2", 0.0, 1.0)
        table = np.stack([np.bincount(np.searchsorted(categories, side), minlength=categories.size)
                          for side in (ref, port)])
        expected = stats.contingency.expected_freq(table)
        if expected.min() >= _MIN_EXPECTED:
            res = stats.chi2_contingency(table)
        else:  # small counts: exact-in-the-limit p-value from tables with the same margins
            method = stats.MonteCarloMethod(n_resamples=_MONTE_CARLO_RESAMPLES,
                                            rng=np.random.default_rng(0))
            res = stats.chi2_contingency(table, correction=False, method=method)
        return DiffResult("chi2", float(res.statistic), float(res.pvalue))
    raise ConfigError(f"unknown metric kind {kind!r}; use one of {list(KINDS)}")


def holm(pvalues: Mapping[str, float]) -> dict[str, float]:
    """Holm step-down adjusted p-values (monotone in the raw order, capped at 1)."""
    names = sorted(pvalues, key=lambda k: (_p(pvalues[k]), k))
    m = len(names)
    adjusted, running = {}, 0.0
    for rank, name in enumerate(names):
        running = max(running, min(1.0, (m - rank) * _p(pvalues[name])))
        adjusted[name] = running
    return {name: adjusted[name] for name in pvalues}


def episodes_needed(sd_ref: float, sd_port: float, diff: float, margin: float,
                    alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Episodes per side for TOST to show equivalence with ``power`` (normal approximation).

    None when ``|diff| >= margin``: with that difference more data will not help.
    """
    gap = margin - abs(diff)
    if not (gap > 0 and math.isfinite(sd_ref) and math.isfinite(sd_port)):
        return None
    z = stats.norm.ppf(1 - alpha) + stats.norm.ppf(1 - (1 - power) / 2)
    n = z ** 2 * (sd_ref ** 2 + sd_port ** 2) / gap ** 2
    return max(2, math.ceil(n))


@dataclass
class MetricVerdict:
    metric: str
    kind: str
    margin: float
    n_ref: int
    n_port: int
    mean_ref: float
    mean_port: float
    sd_ref: float
    sd_port: float
    diff: float
    ci: tuple
    p_tost: float
    p_tost_holm: float
    test: str
    p_diff: float
    p_diff_holm: float
    verdict: str  # "equivalent" | "divergent" | "inconclusive"
    n_needed: int | None
    reason: str
    samples_ref: np.ndarray = None
    samples_port: np.ndarray = None

    def to_json(self) -> dict:
        """Plain JSON types; not-applicable numbers (NaN, inf) become None."""
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        for key in ("samples_ref", "samples_port"):
            values = [] if out[key] is None else np.asarray(out[key], dtype=np.float64).tolist()
            out[key] = [_plain(x) for x in values]
        return out


def compare(samples: Mapping[str, tuple], alpha: float = 0.05) -> dict[str, MetricVerdict]:
    """Judge every metric ``name -> (ref_samples, port_samples, margin, kind)``.

    Holm runs over all the metrics given, once for the TOST p-values and once for
    the difference-test p-values. Divergent: the difference test rejects, or the
    confidence interval lies wholly outside the margin. Equivalent: TOST rejects.
    Otherwise inconclusive, with the number of episodes that would settle it.
    """
    if not 0 < alpha < 0.5:
        raise ConfigError(f"alpha must lie between 0 and 0.5 (got {alpha!r}); 0.05 is usual")
    prepared, tosts, diffs, broken = {}, {}, {}, {}
    for name, entry in samples.items():
        try:
            ref, port, margin, kind = entry
        except (TypeError, ValueError):
            raise ConfigError(f"metric {name!r}: expected (ref_samples, port_samples, margin, "
                              f"kind), got {entry!r}") from None
        ref = _sample(ref, f"metric {name!r} reference", finite=False)
        port = _sample(port, f"metric {name!r} ported", finite=False)
        margin = _margin(margin, name)
        if kind not in KINDS:
            raise ConfigError(f"metric {name!r}: unknown kind {kind!r}; use one of {list(KINDS)}")
        prepared[name] = (ref, port, margin, kind)
        bad_ref, bad_port = (int(np.count_nonzero(~np.isfinite(a))) for a in (ref, port))
        if bad_ref and bad_port:
            raise ConfigError(f"metric {name!r} is non-finite (nan/inf) on both sides "
                              f"({bad_ref} reference, {bad_port} ported episodes); a metric must "
                              f"return a finite number per episode: fix its extract()")
        if bad_ref or bad_port:  # only one side makes NaNs: that alone is a divergence
            side, count, n = ("ported", bad_port, port.size) if bad_port else (
                "reference", bad_ref, ref.size)
            broken[name] = (f"the {side} side gave non-finite values (nan/inf) in {count} of "
                            f"{n} episodes; the other side gave none")
            nan = float("nan")  # p-values of nan count as 1 in Holm: no test was run
            tosts[name] = TostResult(nan, nan, nan, nan, nan, nan, (nan, nan))
            diffs[name] = DiffResult("ks" if kind == "continuous" else "chi2", nan, nan)
            continue
        tosts[name] = tost(ref, port, margin, alpha)
        diffs[name] = difference_test(ref, port, kind)
    tost_holm = holm({k: r.p for k, r in tosts.items()})
    diff_holm = holm({k: r.p for k, r in diffs.items()})

    verdicts = {}
    for name, (ref, port, margin, kind) in prepared.items():
        t, d = tosts[name], diffs[name]
        sd_ref, sd_port = _sd(ref), _sd(port)
        if name in broken:
            verdict, n_needed, reason = "divergent", None, broken[name]
        else:
            verdict, n_needed, reason = _decide(
                t, d, tost_holm[name], diff_holm[name], margin, alpha, len(prepared),
                ref.size, port.size, sd_ref, sd_port)
        verdicts[name] = MetricVerdict(
            metric=name, kind=kind, margin=margin, n_ref=int(ref.size), n_port=int(port.size),
            mean_ref=_mean(ref), mean_port=_mean(port), sd_ref=sd_ref, sd_port=sd_port,
            diff=t.diff, ci=t.ci, p_tost=t.p, p_tost_holm=tost_holm[name], test=d.test,
            p_diff=d.p, p_diff_holm=diff_holm[name], verdict=verdict, n_needed=n_needed,
            reason=reason, samples_ref=ref, samples_port=port)
    return verdicts


def _decide(t: TostResult, d: DiffResult, p_tost_holm: float, p_diff_holm: float,
            margin: float, alpha: float, n_metrics: int, n_ref: int, n_port: int,
            sd_ref: float, sd_port: float) -> tuple[str, int | None, str]:
    level = f"{100 * (1 - 2 * alpha):g}%"
    ci = f"[{t.ci[0]:.4g}, {t.ci[1]:.4g}]"
    if p_diff_holm < alpha:
        name = "KS" if d.test == "ks" else "chi-square"
        return "divergent", None, (
            f"the {name} test rejects equal distributions (Holm-adjusted p={p_diff_holm:.3g} "
            f"< {alpha:g}); difference of means {t.diff:.4g}")
    if t.ci[0] > margin or t.ci[1] < -margin:
        return "divergent", None, (
            f"the {level} confidence interval of the difference {ci} lies entirely outside "
            f"the margin ±{margin:g}")
    if p_tost_holm < alpha:
        return "equivalent", None, (
            f"difference of means {t.diff:.4g}, {level} CI {ci} within ±{margin:g} "
            f"(TOST Holm-adjusted p={p_tost_holm:.3g})")
    if n_ref < 2 or n_port < 2:
        return "inconclusive", None, (
            f"too few episodes to test (reference {n_ref}, ported {n_port}; at least 2 per side)")
    # Holm's first step tests at alpha / m: size the estimate for that level.
    n_needed = episodes_needed(sd_ref, sd_port, t.diff, margin, alpha / n_metrics)
    n = min(n_ref, n_port)
    head = (f"TOST could not conclude with {n} episodes per side "
            f"(Holm-adjusted p={p_tost_holm:.3g})")
    if n_needed is None:
        return "inconclusive", None, (
            f"{head}; the observed difference {t.diff:.4g} is at or beyond the margin "
            f"±{margin:g}, so more episodes will not help unless it shrinks")
    if n_needed <= n:  # the normal approximation thinks n was enough: chance, or a near miss
        return "inconclusive", n_needed, (
            f"{head}; by the power estimate about {n_needed} per side usually suffice at margin "
            f"{margin:g}, so this sample was unlucky: re-run with more episodes")
    return "inconclusive", n_needed, (
        f"{head}; about {n_needed} per side would be needed at margin {margin:g}")


def _sample(values, what: str, finite: bool = True) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ConfigError(f"{what} samples must be numbers (one per episode); "
                          f"got {type(values).__name__}") from None
    if finite and not np.isfinite(arr).all():
        raise ConfigError(f"{what} samples contain {np.count_nonzero(~np.isfinite(arr))} "
                          f"non-finite values (nan/inf); a metric must return a finite number "
                          f"per episode — fix the metric's extract() or the side producing them")
    return arr


def _margin(margin, name: str = "") -> float:
    m = float(margin)
    if not (math.isfinite(m) and m > 0):
        where = f"metric {name!r}: " if name else ""
        raise ConfigError(f"{where}equivalence margin must be a positive finite number, got "
                          f"{margin!r}; declare it in the suite's Metric(margin=...)")
    return m


def _p(p: float) -> float:
    p = float(p)
    return 1.0 if math.isnan(p) else p


def _mean(a: np.ndarray) -> float:
    return float(a.mean()) if a.size else float("nan")


def _var(a: np.ndarray) -> float:
    # Exactly 0 for a constant sample (the float mean of n copies of x need not be x).
    return 0.0 if a.min() == a.max() else float(a.var(ddof=1))


def _sd(a: np.ndarray) -> float:
    return math.sqrt(_var(a)) if a.size >= 2 else float("nan")


def _plain(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    return v

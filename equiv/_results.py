"""Reports as data: ``equiv.load_report(path)`` gives pandas DataFrames to analyse across runs.

``path`` is one report's JSON, or a report folder (every pair's latest report and every run
kept under ``history/``). Tables:

- ``items``: one row per checked item (run, pair, layer, variant, outcome, seconds, summary).
- ``metrics``: one row per episode per side of every statistical comparison (run, pair,
  variant, policy, metric, side, value), so distributions can be compared across runs.
- ``verdicts``: one row per statistical comparison (means, difference, CI, p-values, verdict).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from equiv._errors import ConfigError

_VERDICT_COLUMNS = ("metric", "kind", "margin", "n_ref", "n_port", "mean_ref", "mean_port", "sd_ref",
                    "sd_port", "diff", "p_tost_holm", "test", "p_diff_holm", "verdict")


@dataclass
class Results:
    items: object  # pandas.DataFrame
    metrics: object
    verdicts: object
    reports: list


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ConfigError(f"{path} is neither a report JSON nor a report folder; pass what "
                          f"--equiv-report wrote (default equiv-report/)")
    kept = sorted((path / "history").glob("*/*.json")) if (path / "history").is_dir() else []
    return kept or sorted(path.glob("*.json"))  # history holds every run, latest included


def load_report(path) -> Results:
    import pandas as pd

    from equiv._report import _read_report

    reports = [_read_report(p) for p in _files(Path(path))]
    items, samples, verdicts = [], [], []
    for r in reports:
        run = {"run_id": r.get("run_id"), "family": r["family"], "reference": r["reference"],
               "ported": r["ported"], "tier": (r.get("settings") or {}).get("tier")}
        for layer in (r.get("layers") or {}).values():
            for item in layer.get("items") or []:
                items.append({**run, **{k: item.get(k) for k in ("id", "layer", "variant", "name", "outcome",
                                                                 "seconds", "examples", "summary")}})
                stats = item.get("stats") or {}
                if "metric" not in stats:
                    continue
                where = {**run, "variant": stats.get("variant"), "policy": stats.get("policy"),
                         "metric": stats["metric"]}
                verdicts.append({**where, **{k: stats.get(k) for k in _VERDICT_COLUMNS}})
                for side, key in (("reference", "samples_ref"), ("ported", "samples_port")):
                    samples += [{**where, "side": side, "episode": i, "value": v}
                                for i, v in enumerate(stats.get(key) or [])]
    return Results(pd.DataFrame(items), pd.DataFrame(samples), pd.DataFrame(verdicts), reports)

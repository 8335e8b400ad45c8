"""The per-family ledger of known, accepted differences.

``suites/<family>/ledger.yaml`` is a list of entries::

    - id: obs-ulp                      # short, unique
      fields: ["obs"]                  # globs over mismatching field names (state fields are "state.<name>")
      tests: ["L1::*"]                 # optional globs over item ids (default: every item)
      reason: XLA rewrites x/c as x*(1/c); 1 ulp on obs.
      date: 2026-11-24
      within: 1.0e-6                   # optional: excuse only differences up to this size

A failing item whose every differing field matches one applicable entry is an
expected failure (xfailed). ``within`` bounds the excuse: a difference on a listed field
larger than it (absolute, element-wise) is still a divergence, so an entry for a known
rounding difference cannot hide a real bug on the same field.

An entry that applied to items that ran but matched
no failure is *fixed*: the gate fails until it is deleted, so the ledger cannot rot.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from equiv._errors import ConfigError


@dataclass
class Entry:
    id: str
    fields: list
    reason: str
    date: str
    tests: list = field(default_factory=lambda: ["*"])
    within: float | None = None  # the largest difference it excuses (None: any)
    applied: int = 0  # items it applied to that ran
    matched: int = 0  # failures it turned into expected failures

    def applies_to(self, item_id: str) -> bool:
        return any(fnmatch.fnmatchcase(item_id, t) for t in self.tests)

    def covers(self, field_names, mismatches=None) -> bool:
        if not all(any(fnmatch.fnmatchcase(n, g) for g in self.fields) for n in field_names):
            return False
        return self.within is None or all(_size(m) <= self.within for m in mismatches or ())

    @property
    def status(self) -> str:
        if self.matched:
            return "matched"
        return "fixed" if self.applied else "unused"

    def to_json(self) -> dict:
        return {"id": self.id, "fields": self.fields, "tests": self.tests, "reason": self.reason,
                "date": self.date, "within": self.within, "status": self.status, "matched": self.matched}


def _size(m) -> float:
    """The largest element-wise difference of a mismatch (inf when not numeric)."""
    try:
        r = np.asarray(m.reference, np.float64)
        p = np.asarray(m.ported, np.float64)
        return float(np.max(np.abs(r - p))) if r.shape == p.shape else float("inf")
    except (TypeError, ValueError):
        return float("inf")


class Ledger:
    def __init__(self, entries: list[Entry], path: Path | None = None):
        self.entries, self.path = entries, path

    @classmethod
    def load(cls, path: Path | None) -> "Ledger":
        if path is None or not Path(path).exists():
            return cls([], path)
        try:
            data = yaml.safe_load(Path(path).read_text()) or []
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: the ledger is not valid YAML ({e})") from e
        if not isinstance(data, list):
            raise ConfigError(f"{path}: the ledger must be a YAML list of entries")
        entries, seen = [], set()
        for i, raw in enumerate(data):
            need = {"id", "fields", "reason", "date"}
            if not isinstance(raw, dict) or not need <= set(raw) or not set(raw) <= need | {"tests", "within"}:
                raise ConfigError(f"{path}: entry {i} must have keys {sorted(need)} and optionally 'tests' "
                                  f"and 'within'; got {raw!r}")
            within = raw.get("within")
            if within is not None and not (isinstance(within, (int, float)) and within >= 0):
                raise ConfigError(f"{path}: entry {raw['id']!r}: 'within' must be a non-negative number "
                                  f"(the largest difference it excuses); got {within!r}")
            if raw["id"] in seen:
                raise ConfigError(f"{path}: ledger id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            entries.append(Entry(str(raw["id"]), list(raw["fields"]), str(raw["reason"]), str(raw["date"]),
                                 list(raw.get("tests") or ["*"]),
                                 None if within is None else float(within)))
        return cls(entries, path)

    def applicable(self, item_id: str) -> list[Entry]:
        return [e for e in self.entries if e.applies_to(item_id)]

    def note_ran(self, item_id: str) -> None:
        for e in self.applicable(item_id):
            e.applied += 1

    def excuse(self, item_id: str, field_names, mismatches=None) -> Entry | None:
        """The entry that accepts this set of differing fields (and sizes), if any; counts it."""
        names = list(field_names)
        if not names:
            return None
        for e in self.applicable(item_id):
            if e.covers(names, mismatches):
                e.matched += 1
                return e
        return None

    def stale(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "fixed"]

    def to_json(self) -> list:
        return [e.to_json() for e in self.entries]

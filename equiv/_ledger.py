"""The per-family ledger of known, accepted differences.

``suites/<family>/ledger.yaml`` is a list of entries::

    - id: obs-ulp                      # short, unique
      fields: ["obs"]                  # globs over mismatching field names (state fields are "state.<name>")
      tests: ["L1::*"]                 # optional globs over item ids (default: every item)
      reason: XLA rewrites x/c as x*(1/c); 1 ulp on obs.
      date: 2026-11-24
      within: 1.0e-6                   # optional: excuse only differences up to this size
      pairs: ["mjx/*", "*/mjx"]        # optional globs over "reference/ported" adapter names: the
                                       #   entry belongs to these pairs only (default: every pair)
      occasional: true                 # optional: a difference only some runs reach

A failing item whose every differing field matches one applicable entry is an
expected failure (xfailed). ``within`` bounds the excuse: a difference on a listed field
larger than it (absolute, element-wise) is still a divergence, so an entry for a known
rounding difference cannot hide a real bug on the same field. It is one number for every
listed field, or a mapping from field globs to their own bounds (a field the mapping does not
name is not excused).

``pairs`` scopes an entry to the implementations whose difference it records (one
implementation's own quirk belongs to every pair it is in, not to the whole family).

An entry that applied to items that ran but matched no failure is *fixed*: the gate fails
until it is deleted, so the ledger cannot rot. An ``occasional`` entry records a difference
that only rare states reach (a run may or may not meet one): it is never called fixed by a run
that did not meet it; the report shows how often it was met.
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
    within: float | dict | None = None  # the largest difference it excuses (None: any), or per field glob
    pairs: list = field(default_factory=lambda: ["*"])  # globs over "reference/ported"
    occasional: bool = False  # a difference only rare states reach: not stale when a run misses it
    applied: int = 0  # items it applied to that ran
    matched: int = 0  # failures it turned into expected failures

    def belongs_to(self, reference: str, ported: str) -> bool:
        return any(fnmatch.fnmatchcase(f"{reference}/{ported}", g) for g in self.pairs)

    def applies_to(self, item_id: str) -> bool:
        return any(fnmatch.fnmatchcase(item_id, t) for t in self.tests)

    def covers(self, field_names, mismatches=None) -> bool:
        if not all(any(fnmatch.fnmatchcase(n, g) for g in self.fields) for n in field_names):
            return False
        return self.within is None or all(_size(m) <= self.bound(m.field) for m in mismatches or ())

    def bound(self, field_name: str) -> float:
        """The largest difference this entry excuses on ``field_name``."""
        if not isinstance(self.within, dict):
            return self.within
        for glob, bound in self.within.items():
            if fnmatch.fnmatchcase(field_name, glob):
                return bound
        return -1.0  # not named: nothing excused

    @property
    def status(self) -> str:
        if self.matched:
            return "matched"
        if not self.applied:
            return "unused"
        return "not met" if self.occasional else "fixed"

    def to_json(self) -> dict:
        return {"id": self.id, "fields": self.fields, "tests": self.tests, "reason": self.reason,
                "date": self.date, "within": self.within, "pairs": self.pairs,
                "occasional": self.occasional, "status": self.status, "matched": self.matched}


def _size(m) -> float:
    """The largest element-wise difference of a mismatch (inf when not numeric)."""
    try:
        r = np.asarray(m.reference, np.float64)
        p = np.asarray(m.ported, np.float64)
        return float(np.max(np.abs(r - p))) if r.shape == p.shape else float("inf")
    except (TypeError, ValueError):
        return float("inf")


_KEYS = {"id", "fields", "reason", "date"}
_OPTIONAL = {"tests", "within", "pairs", "occasional"}


def _within(path, raw) -> float | dict | None:
    within = raw.get("within")
    ok = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0  # noqa: E731
    if within is None:
        return None
    if isinstance(within, dict) and within and all(isinstance(k, str) and ok(v) for k, v in within.items()):
        return {k: float(v) for k, v in within.items()}
    if ok(within):
        return float(within)
    raise ConfigError(f"{path}: entry {raw['id']!r}: 'within' must be a non-negative number (the largest "
                      f"difference it excuses) or a mapping of field globs to such numbers; got {within!r}")


class Ledger:
    def __init__(self, entries: list[Entry], path: Path | None = None):
        self.entries, self.path = entries, path

    @classmethod
    def load(cls, path: Path | None, reference: str | None = None, ported: str | None = None) -> "Ledger":
        """The entries of the ledger at ``path``; with a pair's adapter names, only the entries
        that belong to that pair."""
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
            if not isinstance(raw, dict) or not _KEYS <= set(raw) or not set(raw) <= _KEYS | _OPTIONAL:
                raise ConfigError(f"{path}: entry {i} must have keys {sorted(_KEYS)} and optionally "
                                  f"{sorted(_OPTIONAL)}; got {raw!r}")
            if raw["id"] in seen:
                raise ConfigError(f"{path}: ledger id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            if not isinstance(raw.get("occasional", False), bool):
                raise ConfigError(f"{path}: entry {raw['id']!r}: 'occasional' must be true or false; "
                                  f"got {raw['occasional']!r}")
            pairs = raw.get("pairs", ["*"])
            if not (isinstance(pairs, list) and pairs and all(isinstance(g, str) and "/" in g or g == "*"
                                                              for g in pairs)):
                raise ConfigError(f"{path}: entry {raw['id']!r}: 'pairs' must be a list of "
                                  f"\"reference/ported\" adapter-name globs (e.g. [\"mjx/*\"]); got {pairs!r}")
            entry = Entry(str(raw["id"]), list(raw["fields"]), str(raw["reason"]), str(raw["date"]),
                          list(raw.get("tests") or ["*"]), _within(path, raw),
                          list(pairs), bool(raw.get("occasional", False)))
            if reference is None or entry.belongs_to(reference, ported or ""):
                entries.append(entry)
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

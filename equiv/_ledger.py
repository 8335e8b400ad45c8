"""The per-family ledger of known, accepted differences.

``suites/<family>/ledger.yaml`` is a list of entries::

    - id: obs-ulp                      # short, unique
      fields: ["obs"]                  # globs over mismatching field names (state fields are "state.<name>")
      tests: ["L1::*"]                 # optional globs over item ids (default: every item)
      reason: XLA rewrites x/c as x*(1/c); 1 ulp on obs.
      date: 2026-11-24

A failing item whose every differing field matches one applicable entry is an
expected failure (xfailed). An entry that applied to items that ran but matched
no failure is *fixed*: the gate fails until it is deleted, so the ledger cannot rot.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from equiv._errors import ConfigError


@dataclass
class Entry:
    id: str
    fields: list
    reason: str
    date: str
    tests: list = field(default_factory=lambda: ["*"])
    applied: int = 0  # items it applied to that ran
    matched: int = 0  # failures it turned into expected failures

    def applies_to(self, item_id: str) -> bool:
        return any(fnmatch.fnmatchcase(item_id, t) for t in self.tests)

    def covers(self, field_names) -> bool:
        return all(any(fnmatch.fnmatchcase(n, g) for g in self.fields) for n in field_names)

    @property
    def status(self) -> str:
        if self.matched:
            return "matched"
        return "fixed" if self.applied else "unused"

    def to_json(self) -> dict:
        return {"id": self.id, "fields": self.fields, "tests": self.tests, "reason": self.reason,
                "date": self.date, "status": self.status, "matched": self.matched}


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
            if not isinstance(raw, dict) or not need <= set(raw) or not set(raw) <= need | {"tests"}:
                raise ConfigError(f"{path}: entry {i} must have keys {sorted(need)} and optionally 'tests'; "
                                  f"got {raw!r}")
            if raw["id"] in seen:
                raise ConfigError(f"{path}: ledger id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            entries.append(Entry(str(raw["id"]), list(raw["fields"]), str(raw["reason"]), str(raw["date"]),
                                 list(raw.get("tests") or ["*"])))
        return cls(entries, path)

    def applicable(self, item_id: str) -> list[Entry]:
        return [e for e in self.entries if e.applies_to(item_id)]

    def note_ran(self, item_id: str) -> None:
        for e in self.applicable(item_id):
            e.applied += 1

    def excuse(self, item_id: str, field_names) -> Entry | None:
        """The entry that accepts this set of differing fields, if any (and count it)."""
        names = list(field_names)
        if not names:
            return None
        for e in self.applicable(item_id):
            if e.covers(names):
                e.matched += 1
                return e
        return None

    def stale(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "fixed"]

    def to_json(self) -> list:
        return [e.to_json() for e in self.entries]

"""L2 trace files: scripted action sequences replayed on both sides.

A trace is a YAML file in ``suites/<family>/traces/``::

    # Free comments are fine anywhere.
    doc: The agent misses the first serve.     # what the trace exercises
    variant: fs1                               # a suite variant; omit for every variant
    seed: 7                                    # reset seed
    state:                                     # optional: fields overriding the state after reset
      ball_vy: 3.0
    actions:                                   # one entry per step
      - 0
      - [1, 4]                                 # a joint or vector action
      - {repeat: 2, times: 50}                 # run-length form
    expect:                                    # optional checks on the reference itself
      - {step: 49, field: reward, value: -1.0}
    stop_at_end: true                          # optional: actions past the episode's end are not used

Steps count from 0. ``expect`` entries check the *reference* too, so a trace can
pin behaviour as well as compare the sides. Every action is checked against the suite's
action space before anything runs, and a trace whose episode ends before its last action
is a trace-file error unless it says ``stop_at_end: true``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from equiv._errors import TraceFileError

_KEYS = {"doc", "variant", "seed", "state", "actions", "expect", "name", "stop_at_end"}


@dataclass
class Trace:
    name: str
    path: Path
    seed: int
    actions: list
    doc: str = ""
    variant: str | None = None
    state: dict = field(default_factory=dict)
    expect: list = field(default_factory=list)
    stop_at_end: bool = False
    entries: list = field(default_factory=list)  # the file's action entry each action came from

    def check_actions(self, space) -> None:
        """Every action valid for ``space``, or a TraceFileError naming the step and the action."""
        for step, a in enumerate(self.actions):
            problem = space.problem(a)
            if problem:
                entry = self.entries[step] if self.entries else step
                raise TraceFileError(f"{self.path}: step {step} (action entry {entry}): {problem}; "
                                     f"the suite's action space is {space}")


def load_trace(path: Path) -> Trace:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        raise TraceFileError(f"{path}: not valid YAML ({e}); fix the syntax") from e
    except OSError as e:
        raise TraceFileError(f"{path}: cannot be read ({e})") from e
    if not isinstance(data, dict):
        raise TraceFileError(f"{path}: a trace file must be a mapping with at least 'seed' and 'actions'")
    unknown = set(data) - _KEYS
    if unknown:
        raise TraceFileError(f"{path}: unknown keys {sorted(unknown)}; allowed keys are {sorted(_KEYS)}")
    if "actions" not in data or not isinstance(data["actions"], list) or not data["actions"]:
        raise TraceFileError(f"{path}: 'actions' must be a non-empty list of actions")
    if not isinstance(data.get("seed", 0), int):
        raise TraceFileError(f"{path}: 'seed' must be an integer, got {data.get('seed')!r}")
    actions, entries = [], []
    for i, a in enumerate(data["actions"]):
        if isinstance(a, dict):
            if set(a) != {"repeat", "times"} or not isinstance(a["times"], int) or a["times"] < 1:
                raise TraceFileError(f"{path}: action entry {i} ({a!r}) must be an action or "
                                     f"{{repeat: ACTION, times: N}} with N >= 1")
            actions.extend([a["repeat"]] * a["times"])
            entries.extend([i] * a["times"])
        elif isinstance(a, (int, float, list)) and not isinstance(a, bool):
            actions.append(a)
            entries.append(i)
        else:
            raise TraceFileError(f"{path}: action entry {i} ({a!r}) is not a number, a list or a repeat")
    if not isinstance(data.get("stop_at_end", False), bool):
        raise TraceFileError(f"{path}: 'stop_at_end' must be true or false")
    expect = data.get("expect") or []
    for i, e in enumerate(expect):
        if not isinstance(e, dict) or set(e) != {"step", "field", "value"}:
            raise TraceFileError(f"{path}: expect entry {i} ({e!r}) must be {{step: N, field: NAME, value: V}}")
    state = data.get("state") or {}
    if not isinstance(state, dict):
        raise TraceFileError(f"{path}: 'state' must be a mapping of field name to value")
    return Trace(name=data.get("name") or path.stem, path=path, seed=int(data.get("seed", 0)),
                 actions=[_action(a, path, e) for a, e in zip(actions, entries)], doc=str(data.get("doc", "")).strip(),
                 variant=data.get("variant"), state=state, expect=expect,
                 stop_at_end=bool(data.get("stop_at_end", False)), entries=entries)


def _action(a, path, entry):
    if isinstance(a, list):
        try:
            arr = np.asarray(a) if a else np.zeros(0)
        except ValueError:  # ragged
            arr = np.asarray([None])
        if arr.dtype.kind not in "iuf" or arr.dtype == bool:
            raise TraceFileError(f"{path}: action entry {entry} ({a!r}) must be a list of numbers")
        return arr.astype(np.float32) if arr.dtype.kind == "f" else arr.astype(np.int64)
    return a


def find_traces(directory: Path | None) -> list[Path]:
    if directory is None or not Path(directory).is_dir():
        return []
    return sorted(p for p in Path(directory).rglob("*.yaml"))

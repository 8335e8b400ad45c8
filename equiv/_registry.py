"""Names -> adapters and families -> suites.

Every adapter and suite, ours included, is found through an entry-point group
(``equiv.adapters``: ``name = "module:AdapterClass"``; ``equiv.suites``:
``family = "module:SUITE"``), so a user's own port is checked exactly like a
bundled one. ``register_adapter`` / ``register_suite`` add entries at run time
(a conftest.py can call them).

A project can also register its own pairs without being installed: the nearest
``pyproject.toml`` above the working directory with a ``[tool.equiv.adapters]`` or
``[tool.equiv.suites]`` table is read, and its folder put on ``sys.path`` (as pytest's
``pythonpath`` setting does). This repository's bundled pairs are registered that way, so
installing the framework puts only ``equiv`` into site-packages.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from importlib.metadata import entry_points

from equiv._errors import ConfigError

ADAPTER_GROUP = "equiv.adapters"
SUITE_GROUP = "equiv.suites"

_extra_adapters: dict[str, str] = {}
_extra_suites: dict[str, str] = {}


def register_adapter(name: str, target: str) -> None:
    """Make ``name`` resolve to ``target`` (``"module:Class"``)."""
    _extra_adapters[name] = target


def register_suite(family: str, target: str) -> None:
    """Make ``family`` resolve to ``target`` (``"module:SUITE"``)."""
    _extra_suites[family] = target


_PROJECT_KEYS = {ADAPTER_GROUP: "adapters", SUITE_GROUP: "suites"}


@functools.lru_cache(maxsize=None)
def _project(start: str) -> tuple[str | None, dict]:
    """(folder, [tool.equiv] table) of the nearest pyproject.toml declaring equiv pairs."""
    import tomllib
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        path = folder / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            table = tomllib.loads(path.read_text()).get("tool", {}).get("equiv", {})
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{path} cannot be read ({e}); fix it, or run from another folder") from None
        if "adapters" in table or "suites" in table:
            return str(folder), table
    return None, {}


def project_table(group: str) -> dict[str, str]:
    """The working directory's project's own registrations for ``group`` (its folder on sys.path)."""
    folder, table = _project(os.getcwd())
    entries = table.get(_PROJECT_KEYS[group], {})
    if entries and folder not in sys.path:
        sys.path.insert(0, folder)
    return {str(k): str(v) for k, v in entries.items()}


def _table(group: str, extra: dict) -> dict[str, str]:
    table = {ep.name: ep.value for ep in entry_points(group=group)}
    table.update(project_table(group))
    table.update(extra)
    return table


def _load(target: str):
    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split(".") if attr else []:
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class AdapterInfo:
    name: str
    target: str
    family: str | None
    role: str | None
    missing: str | None  # None when usable; otherwise what is missing and how to fix it


def adapter_names() -> list[str]:
    return sorted(_table(ADAPTER_GROUP, _extra_adapters))


def _generic(name: str) -> bool:
    return name.startswith(("gym:", "gymnax:"))


def adapter_class(name: str):
    if _generic(name):  # zero-code adapters for any Gymnasium or gymnax environment
        from equiv._gym import adapter_for
        return adapter_for(name)
    table = _table(ADAPTER_GROUP, _extra_adapters)
    if name not in table:
        raise ConfigError(f"unknown adapter {name!r}. Known adapters: {', '.join(sorted(table)) or 'none'}, "
                          f"and gym:<Gymnasium id> / gymnax:<gymnax id or module:Class> for any such "
                          f"environment. Run `equiv list` to see them, or register yours under the "
                          f"{ADAPTER_GROUP!r} entry-point group.")
    try:
        cls = _load(table[name])
    except ImportError as e:
        raise ConfigError(f"adapter {name!r} ({table[name]}) cannot be imported: {e}. "
                          f"Install its dependencies: run the README's set-up command (./dev.sh setup).") from e
    cls.registered_name = name
    return cls


def describe(name: str) -> AdapterInfo:
    target = _table(ADAPTER_GROUP, _extra_adapters)[name]
    try:
        cls = adapter_class(name)
    except ConfigError as e:
        return AdapterInfo(name, target, None, None, str(e))
    check = getattr(cls, "missing", None)
    missing = check() if callable(check) else None
    return AdapterInfo(name, target, getattr(cls, "family", None), getattr(cls, "role", None), missing)


def suite_for(family: str, ref_cls=None, port_cls=None):
    """The family's registered suite; else the one a generic reference adapter generates."""
    table = _table(SUITE_GROUP, _extra_suites)
    if family not in table and ref_cls is not None:
        suite = ref_cls.default_suite(port_cls)
        if suite is not None:
            return suite
    if family not in table:
        raise ConfigError(f"no suite for family {family!r}. Known families: {', '.join(sorted(table)) or 'none'}. "
                          f"A family's suite is `SUITE` in suites/<family>/ registered under {SUITE_GROUP!r}.")
    suite = _load(table[family])
    if suite.family != family:
        raise ConfigError(f"suite {table[family]} says family {suite.family!r} but is registered as {family!r}")
    return suite


def resolve_pair(reference: str, ported: str):
    """Both adapter classes and the suite, or a ConfigError saying what is wrong."""
    ref_cls, port_cls = adapter_class(reference), adapter_class(ported)
    if ref_cls.family is not None and port_cls.family is not None and ref_cls.family != port_cls.family:
        raise ConfigError(f"cannot pair {reference!r} (family {ref_cls.family!r}) with {ported!r} "
                          f"(family {port_cls.family!r}): both sides must implement the same family. "
                          f"Pick a port of {ref_cls.family!r}; `equiv list` shows each adapter's family.")
    for name, cls in ((reference, ref_cls), (ported, port_cls)):
        check = getattr(cls, "missing", None)
        problem = check() if callable(check) else None
        if problem:
            raise ConfigError(f"adapter {name!r} is not usable: {problem}")
    return ref_cls, port_cls, suite_for(ref_cls.family or port_cls.family, ref_cls, port_cls)

"""equiv: prove that a ported RL environment is still the same game as its reference.

This module is the public façade; the implementation lives in private modules. Names are
loaded on first use, so the pytest plugin (``equiv._pytest_plugin``) costs nothing — not even
numpy — in a run without ``--equiv``.
"""
from importlib import import_module

_PUBLIC = {
    "equiv._adapter": ("Adapter", "Step", "Trajectory"),
    "equiv._errors": ("AdapterError", "ConfigError", "EquivError", "SchemaError", "TraceFileError"),
    "equiv._registry": ("register_adapter", "register_suite"),
    "equiv._schema": ("EXACT", "Field", "Mismatch", "Schema", "Tolerance", "close", "ulp"),
    "equiv._spaces": ("Box", "Discrete"),
    "equiv._suite": ("Case", "Coverage", "Metric", "Policy", "Property", "Suite", "Threshold", "Tier"),
    "equiv._traces": ("Trace",),
    "equiv._calibrate": ("Calibration",),
    "equiv._results": ("load_report",),
    "equiv._testing": ("run_items",),
}
_WHERE = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted(_WHERE) + ["load_calibration"]
__version__ = "0.1.0"


def load_calibration(path):
    """A calibration file written by ``equiv calibrate`` (see equiv._calibrate)."""
    return import_module("equiv._calibrate").load(path)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'equiv' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)

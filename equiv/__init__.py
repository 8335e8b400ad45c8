"""equiv: prove that a ported RL environment is still the same game as its reference.

This module is the public façade; the implementation lives in private modules.
"""
from equiv._adapter import Adapter, Step, Trajectory
from equiv._errors import AdapterError, ConfigError, EquivError, SchemaError, TraceFileError
from equiv._registry import register_adapter, register_suite
from equiv._schema import EXACT, Field, Mismatch, Schema, Tolerance, close, ulp
from equiv._spaces import Box, Discrete
from equiv._suite import Case, Coverage, Metric, Policy, Property, Suite, Threshold, Tier

__all__ = [
    "Adapter", "AdapterError", "Box", "Case", "ConfigError", "Coverage", "Discrete", "EXACT",
    "EquivError", "Field", "Metric", "Mismatch", "Policy", "Property", "Schema", "SchemaError", "Step",
    "Suite", "Threshold", "Tier", "Tolerance", "TraceFileError", "Trajectory", "close",
    "register_adapter", "register_suite", "ulp",
]

__version__ = "0.1.0"

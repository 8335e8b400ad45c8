"""State schemas and tolerance classes: what a canonical state is and how two are compared.

A canonical state is a plain ``dict[str, numpy.ndarray]``. A family's schema says,
for each named field, its dtype, its shape and how two values are judged equal.
Both sides of a pair convert to and from this form, so comparison needs no
knowledge of either implementation.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

import numpy as np

from equiv._errors import SchemaError


@dataclass(frozen=True)
class Tolerance:
    """How two values of one field are judged equal.

    ``exact``: bit for bit (floats compared by their bits, so -0.0 != 0.0 and NaN
    payloads matter). ``ulp``: floats within ``ulps`` units in the last place.
    ``close``: ``|a-b| <= atol + rtol*|b|`` (b is the reference).
    """

    kind: str = "exact"
    ulps: int = 0
    atol: float = 0.0
    rtol: float = 0.0

    def describe(self) -> str:
        if self.kind == "exact":
            return "exact"
        if self.kind == "ulp":
            return f"<= {self.ulps} ulp"
        return f"atol={self.atol:g} rtol={self.rtol:g}"

    def violations(self, ref: np.ndarray, port: np.ndarray) -> np.ndarray:
        """Boolean array, True where ``port`` differs from ``ref`` beyond this tolerance."""
        if self.kind == "exact" or ref.dtype.kind not in "fc":
            if ref.dtype.kind == "f":
                return _bits(ref) != _bits(port)
            return ref != port
        if self.kind == "ulp":
            return _ulp_distance(ref, port) > self.ulps
        both_nan = np.isnan(ref) & np.isnan(port)
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~(np.abs(port.astype(np.float64) - ref.astype(np.float64))
                    <= self.atol + self.rtol * np.abs(ref.astype(np.float64)))
        return bad & ~both_nan


EXACT = Tolerance("exact")


def ulp(n: int) -> Tolerance:
    return Tolerance("ulp", ulps=int(n))


def close(atol: float = 0.0, rtol: float = 0.0) -> Tolerance:
    return Tolerance("close", atol=float(atol), rtol=float(rtol))


def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.dtype(f"u{a.dtype.itemsize}"))


def _ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Map floats onto a monotonic integer line; the difference counts representable steps.
    bits = np.dtype(f"i{a.dtype.itemsize}")
    magnitude = np.int64((1 << (8 * a.dtype.itemsize - 1)) - 1)

    def line(x):
        i = x.view(bits).astype(np.int64)
        return np.where(i < 0, -(i & magnitude), i)

    with np.errstate(over="ignore"):
        d = np.abs(line(a) - line(b))
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    return np.where(nan_a | nan_b, np.where(nan_a & nan_b, 0, np.iinfo(np.int64).max), d)


@dataclass(frozen=True)
class Field:
    """One named array of a canonical state or of a step's outputs.

    ``tolerance`` applies wherever nothing more specific is said; ``tolerances`` maps a layer
    (``"L1"``, ``"L2"``, ``"L3"``), a variant (``"f32"``) or both (``"f32/L3"``) to the
    tolerance used there instead: a k-step comparison in a teacher-forced lockstep can allow more
    than a single transition, a float32 variant more than a float64 one. The most specific
    key wins: ``variant/layer``, then ``variant``, then ``layer``. ``cast``: a value of
    another float dtype is converted to ``dtype`` before comparing, so a float32 port of a
    float64 reference is judged by its values and the tolerance, not by its dtype.
    """

    name: str
    dtype: str
    shape: tuple = ()
    tolerance: Tolerance = EXACT
    doc: str = ""
    allow_nan: bool = False
    tolerances: Mapping | None = None
    cast: bool = False

    @property
    def np_dtype(self) -> np.dtype:
        return np.dtype(self.dtype)

    def at(self, layer: str | None = None, variant: str | None = None) -> "Field":
        """This field with the tolerance its declaration gives for ``layer`` in ``variant``."""
        table = self.tolerances or {}
        keys = [f"{variant}/{layer}", variant, layer] if variant else [layer]
        tol = next((table[k] for k in keys if k and k in table), None)
        return self if tol is None else replace(self, tolerance=tol, tolerances=None)

    def arrays(self, ref, port) -> tuple[np.ndarray, np.ndarray]:
        """Both values as arrays, converted to the field's dtype where ``cast`` allows it."""
        r, p = np.asarray(ref), np.asarray(port)
        if self.cast and self.np_dtype.kind == "f":
            r = r.astype(self.np_dtype) if r.dtype.kind == "f" else r
            p = p.astype(self.np_dtype) if p.dtype.kind == "f" else p
        return r, p


@dataclass(frozen=True)
class Mismatch:
    """One field whose two values differ beyond its tolerance."""

    field: str
    reference: object
    ported: object
    tolerance: str
    where: list = field(default_factory=list)  # flat indices that differ (first few)
    note: str = ""

    def to_json(self) -> dict:
        return {"field": self.field, "reference": _jsonable(self.reference),
                "ported": _jsonable(self.ported), "tolerance": self.tolerance,
                "where": self.where, "note": self.note}

    def __str__(self) -> str:
        at = f" at {self.where}" if self.where else ""
        return (f"{self.field}{at}: reference={_short(self.reference)} "
                f"ported={_short(self.ported)} ({self.tolerance}){' ' + self.note if self.note else ''}")


def _jsonable(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _short(v, limit: int = 120) -> str:
    s = np.array2string(np.asarray(v), threshold=16, max_line_width=10_000) if isinstance(
        v, (np.ndarray, np.generic)) else repr(v)
    return s if len(s) <= limit else s[:limit] + "..."


def _first_non_finite(arr: np.ndarray, leading: int) -> str:
    """'is nan at step 5, index (2,)': where the first non-finite element is, and how many."""
    bad = ~np.isfinite(arr)
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
    step, index = first[:leading], first[leading:]
    where = (f" at step {step[0]}" if step else "") + (f", index {index}" if index else "")
    more = f" ({int(bad.sum())} non-finite elements in all)" if bad.sum() > 1 else ""
    value = (arr[first] if first else arr).item()
    return f"is {value!r}{where}{more}"


class Schema:
    """An ordered set of fields, with validation and comparison."""

    def __init__(self, fields: Iterable[Field]):
        self.fields: dict[str, Field] = {}
        for f in fields:
            if f.name in self.fields:
                raise SchemaError(f"field {f.name!r} is declared twice in the schema")
            self.fields[f.name] = f
        self._layers: dict = {}

    def __iter__(self):
        return iter(self.fields.values())

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def names(self) -> list[str]:
        return list(self.fields)

    def at(self, layer: str | None = None, variant: str | None = None) -> "Schema":
        """The schema with each field's tolerance for ``layer`` in ``variant`` (itself when none differs)."""
        if not (layer or variant) or not any(f.tolerances for f in self):
            return self
        if (layer, variant) not in self._layers:
            self._layers[(layer, variant)] = Schema(f.at(layer, variant) for f in self)
        return self._layers[(layer, variant)]

    def coerce(self, values: Mapping, who: str, leading: int = 0) -> dict[str, np.ndarray]:
        """Check ``values`` against the schema and return it as exact-dtype arrays.

        Raises SchemaError naming the field and the fix when a field is missing,
        unexpected, of the wrong shape, or not finite. ``leading`` counts extra
        leading axes (1 for a stacked trajectory).
        """
        if not isinstance(values, Mapping):
            raise SchemaError(f"{who} returned {type(values).__name__}, expected a mapping of field name "
                              f"to array; return a dict with the fields {self.names()}")
        missing = [n for n in self.fields if n not in values]
        extra = [n for n in values if n not in self.fields]
        if missing or extra:
            raise SchemaError(f"{who} does not match the schema: missing fields {missing}, unexpected "
                              f"fields {extra}; make it produce exactly {self.names()}")
        out = {}
        for name, f in self.fields.items():
            arr = np.asarray(values[name])
            if f.cast and f.np_dtype.kind == "f" and arr.dtype.kind == "f":
                arr = arr.astype(f.np_dtype)
            if arr.shape[len(arr.shape) - len(f.shape):] != tuple(f.shape) or arr.ndim != len(f.shape) + leading:
                want = ("(T, ...) + " if leading else "") + str(tuple(f.shape))
                raise SchemaError(f"{who}: field {name!r} has shape {arr.shape}, schema says {want}; "
                                  f"make the adapter return the schema's shape")
            if arr.dtype.kind in "fc" and not f.allow_nan and not np.all(np.isfinite(arr)):
                raise SchemaError(f"{who}: field {name!r} {_first_non_finite(arr, leading)}; the "
                                  f"implementation produced a non-finite value (declare allow_nan=True "
                                  f"on the field only if that is legitimate)")
            # A dtype other than the schema's is kept as is: compare() reports it as a divergence.
            out[name] = np.array(arr, copy=True)
        return out

    def compare(self, ref: Mapping, port: Mapping, prefix: str = "") -> list[Mismatch]:
        """Every field whose values differ beyond its tolerance, in schema order."""
        found = []
        for name, f in self.fields.items():
            r, p = f.arrays(ref[name], port[name])
            if r.dtype != f.np_dtype or p.dtype != f.np_dtype or r.shape != p.shape:
                found.append(Mismatch(prefix + name, r, p, f.tolerance.describe(),
                                      note=f"dtype/shape differ: reference {r.dtype}{r.shape}, ported "
                                           f"{p.dtype}{p.shape}, schema {f.dtype}{tuple(f.shape)}"))
                continue
            bad = f.tolerance.violations(r, p)
            if np.any(bad):
                where = [int(i) for i in np.flatnonzero(bad)[:8]] if r.ndim else []
                found.append(Mismatch(prefix + name, r, p, f.tolerance.describe(), where))
        return found

"""One reference/port pair under test: its adapters, plan, results and report."""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import secrets
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from equiv._coverage import CoverageCount
from equiv._errors import ConfigError, EquivError, with_cause
from equiv._items import ItemResult, ItemSpec
from equiv._ledger import Ledger
from equiv._registry import adapter_class, resolve_pair
from equiv._side import Side
from equiv._watchdog import CallTimeout, Watchdog

LAYERS = ("L1", "L2", "L3")


@dataclass
class RunOptions:
    tier: str = "quick"
    seed: int = 0
    layers: tuple = LAYERS
    report_dir: Path | None = Path("equiv-report")
    command: str = ""
    variants: tuple | None = None  # None: the tier's variants
    policies: tuple | None = None
    progress: object = None  # callable(str) for long-running progress lines
    strict: bool = False  # INCONCLUSIVE statistics fail the gate
    timeout: float | None = None  # seconds any one adapter call may take (None: the tier's call_timeout)
    on_stuck: object = None  # callable(message) when a call is stuck in native code (the plugin writes reports)


@dataclass(frozen=True)
class Sync:
    """How the two sides of a pair can be put on the same trajectory.

    ``aligned``: both draw from the same generator, reproduced exactly (same seed, same
    start, same draws). ``state_sync``: both steps are deterministic functions of the
    canonical state and the action, so the port can start from (or be re-synchronised to)
    the reference's state even when their resets draw differently.
    """

    aligned: bool
    state_sync: bool
    why_not: str = ""  # when neither holds: what stops transitions from being compared

    @property
    def comparable(self) -> bool:
        return self.aligned or self.state_sync

    @classmethod
    def of(cls, ref_cls, port_cls, ref_name: str, port_name: str) -> "Sync":
        aligned = ref_cls.randomness is not None and ref_cls.randomness == port_cls.randomness
        state_sync = bool(ref_cls.deterministic_step and port_cls.deterministic_step)
        if aligned or state_sync:
            return cls(aligned, state_sync)
        not_det = [n for n, c in ((ref_name, ref_cls), (port_name, port_cls)) if not c.deterministic_step]
        return cls(False, False, (
            f"the sides draw from different generators (reference {ref_name!r}: "
            f"{ref_cls.randomness or 'its own'}, ported {port_name!r}: {port_cls.randomness or 'its own'}) "
            f"and {' and '.join(repr(n) for n in not_det)} {'does' if len(not_det) == 1 else 'do'} not "
            f"declare a step that draws no random numbers (Adapter.deterministic_step); declare it "
            f"where true, or reproduce the reference's generator, to compare transitions"))

    def describe(self) -> str:
        if self.aligned:
            return "aligned randomness: same seed, same draws"
        if self.state_sync:
            return "state-synced: the port starts from the reference's state (resets draw differently)"
        return "independent: statistics only"


def parse_pair_spec(words: list[str]) -> dict:
    """``["reference=X", "ported=Y", "variant=a,b"]`` -> dict, or a ConfigError saying what is wrong."""
    allowed = {"reference", "ported", "variant", "policy"}
    spec = {}
    for w in words:
        key, eq, value = w.partition("=")
        if not eq or key not in allowed or not value:
            raise ConfigError(f"--equiv expects words like reference=NAME ported=NAME [variant=A,B] "
                              f"[policy=P]; got {w!r}. (Put test paths before --equiv, not after it.)")
        if key in spec:
            raise ConfigError(f"--equiv: {key}= given twice in {' '.join(words)!r}")
        spec[key] = value
    missing = {"reference", "ported"} - set(spec)
    if missing:
        raise ConfigError(f"--equiv {' '.join(words)!r} lacks {' and '.join(sorted(missing))}=NAME; "
                          f"example: --equiv reference=puffer_pong ported=pong_jax")
    return spec


def side_config(config: dict, label: str) -> dict:
    """One side's settings from a variant: the shared keys, then the ones under its own label
    (``{"frameskip": 4, "reference": {"processes": 2}}`` gives only the reference ``processes``)."""
    shared = {k: v for k, v in config.items() if k not in ("reference", "ported")}
    return {**shared, **(config.get(label) or {})}


def _verdict(outcomes, incomplete: bool) -> str:
    if any(o in ("failed", "fixed") for o in outcomes):
        return "divergent"
    if "error" in outcomes:
        return "error"
    if "inconclusive" in outcomes or incomplete:
        return "inconclusive"
    return "equivalent"


class PairRun:
    def __init__(self, reference: str, ported: str, options: RunOptions):
        self.reference, self.ported, self.options = reference, ported, options
        self.ref_cls, self.port_cls, self.suite = resolve_pair(reference, ported)
        if options.tier not in self.suite.tiers:
            raise ConfigError(f"unknown tier {options.tier!r}; the {self.suite.family!r} suite has "
                              f"{sorted(self.suite.tiers)}")
        self.tier = self.suite.tiers[options.tier]
        self.current: ItemSpec | None = None
        self.variants = self._pick("variant", options.variants, self.tier.variants, list(self.suite.variants))
        self.ledger = Ledger.load(self.suite.ledger_path, reference, ported)
        self.sync = Sync.of(self.ref_cls, self.port_cls, reference, ported)
        self.notes: list[dict] = []  # per layer: what was planned, what was not and why
        self.seed = int(options.seed)
        self._policies = self._pick("policy", options.policies, self.tier.policies, self.suite.policy_names())
        self._sides: dict = {}
        self._side_errors: dict = {}
        self._stats = None
        self.coverage = None  # made by plan(), from the suite's Coverage
        self.specs: list[ItemSpec] = []
        self.results: dict[str, ItemResult] = {}
        self.started = _dt.datetime.now(_dt.timezone.utc)
        # This run's own report in history/: sortable by time, unique across processes and runs.
        self.run_id = f"{self.started:%Y%m%dT%H%M%SZ}-{os.getpid()}-{secrets.token_hex(2)}"
        self._announced = False
        self._last_progress = 0.0
        self.finished = None
        self.interrupted = None
        self.provenance = {}

    def _pick(self, what, asked, tier_default, known):
        chosen = list(asked) if asked else list(tier_default or known)
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise ConfigError(f"unknown {what} {unknown} for family {self.suite.family!r}; "
                              f"it has {known}")
        return chosen

    @property
    def key(self) -> str:
        return f"{self.suite.family}__{self.reference}__{self.ported}"

    def policies(self) -> list[str]:
        return self._policies

    # --- adapters --------------------------------------------------------------
    def sides(self, variant: str) -> tuple[Side, Side]:
        if variant in self._side_errors:
            raise self._side_errors[variant]
        if variant not in self._sides:
            config = self.suite.variants[variant]
            made = []
            try:
                for label, cls, name in (("reference", self.ref_cls, self.reference),
                                         ("ported", self.port_cls, self.ported)):
                    try:
                        adapter = cls(**side_config(config, label))
                    except EquivError:
                        raise
                    except Exception as e:
                        raise EquivError(f"{label} adapter {name!r} cannot be built for variant {variant!r} "
                                         f"({config}): {type(e).__name__}: {e}") from e
                    made.append(Side(adapter, self.suite, label, name, self.watchdog()))
            except EquivError as e:
                for s in made:
                    s.close()
                self._side_errors[variant] = e
                raise
            self._sides[variant] = tuple(made)
            for s in made:
                self.provenance.setdefault(s.label, s.provenance())
        return self._sides[variant]

    def witness(self, variant: str) -> Side | None:
        """The suite's witness for this reference and variant (``Suite.witness``), built on first use;
        None when the suite names none. A witness that cannot be built is an error naming it."""
        if self.suite.witness is None:
            return None
        key = ("witness", variant)
        if key not in self._sides:
            named = self.suite.witness(self.reference, variant)
            if named is None:
                self._sides[key] = ()
            else:
                name, config = named
                try:
                    cls = adapter_class(name)
                    problem = cls.missing() if callable(getattr(cls, "missing", None)) else None
                    if problem:
                        raise EquivError(problem)
                    adapter = cls(**config)
                except Exception as e:
                    raise EquivError(f"the suite's witness {name!r} ({config}) for variant {variant!r} cannot "
                                     f"be built: {type(e).__name__}: {e}") from e
                self._sides[key] = (Side(adapter, self.suite, "witness", name, self.watchdog()),)
                self.provenance.setdefault(f"witness ({variant})", self._sides[key][0].provenance())
        made = self._sides[key]
        return made[0] if made else None

    def watchdog(self) -> Watchdog:
        seconds = self.options.timeout if self.options.timeout is not None else self.tier.call_timeout
        return Watchdog(seconds, self._stuck)

    def _stuck(self, message: str) -> None:
        if self.current is not None:
            self.results[self.current.id] = ItemResult("error", message.splitlines()[0], message=message)
        self.interrupted = "an adapter call stuck in native code ended the run"
        if self.options.on_stuck is not None:
            self.options.on_stuck(message)

    def drop_sides(self, variant: str) -> None:
        """Close and forget a variant's adapters (after a hang their state is suspect)."""
        for s in (*self._sides.pop(variant, ()), *self._sides.pop(("witness", variant), ())):
            s.close()

    def close(self) -> None:
        for pair in self._sides.values():
            for s in pair:
                s.close()
        self._sides.clear()

    # --- helpers the layers use --------------------------------------------------
    def seed_for(self, item: str) -> int:
        digest = hashlib.sha256(f"{self.seed}:{self.key}:{item}".encode()).digest()
        return int.from_bytes(digest[:4], "little")

    def episode_seeds(self, n: int, group: str = "lockstep") -> list[int]:
        """Reset seeds for ``n`` episodes, inside the suite's seed space.

        Drawn from a generator keyed by a hash of (run seed, pair, group), so another
        ``--equiv-seed`` gives an independent sample, not the same episodes shifted by one.
        ``group`` "reference" and "ported" get disjoint sets (statistics must not compare an
        episode with itself): the lower and upper half of the space; "lockstep" plays the same
        seeds on both sides. Seeds repeat only when ``n`` exceeds the space."""
        space = self.suite.seed_space or 2**31
        half = space // 2
        base, width = {"lockstep": (0, space), "reference": (0, half), "ported": (half, half)}[group]
        rng = np.random.default_rng(self.seed_for(f"episodes:{group}"))
        picks = []
        while len(picks) < n:  # without replacement, cycling only past the space's size
            k = min(n - len(picks), width)
            picks += [int(x) for x in rng.choice(width, k, replace=False)]
        return [base + x for x in picks]

    def seed_strategy(self):
        """Hypothesis strategy of valid reset seeds."""
        from hypothesis import strategies as st
        return st.integers(0, (self.suite.seed_space or 2**31) - 1)

    def note(self, layer: str, check: str, ran: bool, why: str = "") -> None:
        """Record what a layer planned or left out, and why; the terminal and the report show it."""
        self.notes.append({"layer": layer, "check": check, "ran": ran, "why": why})

    def count_transition(self, variant: str, layer: str, before, action, outputs, after) -> None:
        """Count the coverage keys of one reference transition (when the suite declares coverage)."""
        if self.coverage is not None:
            self.coverage.add(variant, layer, before, action, outputs, after)

    def count_coverage(self, variant: str, layer: str, traj, start_state) -> None:
        """Count the coverage keys of every step of a reference recording."""
        if self.coverage is not None:
            self.coverage.add_trajectory(variant, layer, traj, start_state)

    def progress(self, line: str) -> None:
        if self.options.progress is not None:
            self.options.progress(f"[equiv {self.reference} vs {self.ported}] {line}")

    def progress_now_and_then(self, line: str, every: float = 15.0) -> None:
        """A progress line at most every ``every`` seconds (for loops of many short steps)."""
        now = time.monotonic()
        if now - self._last_progress >= every:
            self._last_progress = now
            self.progress(line)

    def explain(self, variant: str, start, actions) -> str | None:
        if self.suite.explain is None:
            return None
        ref, port = self.sides(variant)
        try:
            return self.suite.explain(ref.adapter, port.adapter, start, actions)
        except Exception as e:  # evidence is a bonus; never let it hide the divergence
            return f"(the suite's explain() failed: {type(e).__name__}: {e})"

    def statistics(self) -> dict:
        """Every metric's verdict, computed once for the pair (Holm needs all p-values together)."""
        if isinstance(self._stats, EquivError):
            raise self._stats  # the rollouts failed once; every statistics item reports the same cause
        if self._stats is None:
            from equiv._l3 import collect_samples
            from equiv._stats import compare
            try:
                samples = collect_samples(self)
            except EquivError as e:
                self._stats = e
                raise
            named = compare({"|".join(k): v for k, v in samples.items()})
            self._stats = {tuple(k.split("|")): v for k, v in named.items()}
        return self._stats

    # --- planning and running ----------------------------------------------------
    def plan(self) -> list[ItemSpec]:
        from equiv import _l1, _l2, _l3
        builders = {"L1": _l1.plan, "L2": _l2.plan, "L3": _l3.plan}
        self.notes = []
        self.specs = []
        self.coverage = CoverageCount(self.suite.coverage) if self.suite.coverage is not None else None
        for layer in LAYERS:
            if layer in self.options.layers:
                self.specs += builders[layer](self)
            else:
                self.note(layer, "every check", False, f"not asked for (--equiv-layers "
                                                       f"{','.join(self.options.layers)})")
        if self.coverage is not None:
            # a run narrowed to some layers cannot reach what the tier asks of all of them
            left_out = [layer for layer in LAYERS if layer not in self.options.layers]
            minimum = 0 if left_out else self.tier.coverage_min
            for variant in self.variants:
                if self.coverage.coverage.keys is not None and self.coverage.coverage.keys(variant) is None:
                    continue  # a variant with no declared keys: nothing to report or require
                self.specs.append(ItemSpec(f"coverage::{variant}", "coverage", variant, "coverage",
                                           lambda p, v=variant: p.coverage.result(v, minimum)))
            self.note("coverage", "semantic coverage", True,
                      f"keys counted over L1, L2 and L3 lockstep; "
                      + (f"each key required {minimum} times" if minimum else
                         f"reported, not required (the run leaves out {', '.join(left_out)})"
                         if left_out and self.tier.coverage_min else "reported, not required"))
        if self.ledger.entries:
            self.specs.append(ItemSpec("ledger::stale-entries", "ledger", "-", "stale-entries",
                                       lambda p: p._check_ledger()))
        return self.specs

    def run(self, spec: ItemSpec) -> ItemResult:
        t0 = time.perf_counter()
        self.current = spec
        try:
            result = spec.run(self)
        except CallTimeout as e:
            result = ItemResult("error", f"{spec.id}: {str(e).splitlines()[0]}", message=with_cause(e))
            self.drop_sides(spec.variant)
        except EquivError as e:
            result = ItemResult("error", str(e).splitlines()[0], message=with_cause(e))
        except Exception as e:  # a bug in a suite strategy or metric: show it whole
            result = ItemResult("error", f"{type(e).__name__}: {e}", message=traceback.format_exc())
        result.seconds = time.perf_counter() - t0
        if spec.layer not in ("ledger", "coverage") and result.outcome != "error":
            self.ledger.note_ran(spec.id)  # an item that errored checked nothing: no entry is judged by it
        self.results[spec.id] = result
        self.current = None
        return result

    def _check_ledger(self) -> ItemResult:
        stale = self.ledger.stale()
        if not stale:
            return ItemResult("passed", f"{len(self.ledger.entries)} ledger entries, all still needed "
                                        f"or not exercised in this run")
        lines = [f"{e.id}: {e.reason} (fields {e.fields})" for e in stale]
        return ItemResult("fixed", f"{len(stale)} ledger entr{'y no longer fails' if len(stale) == 1 else 'ies no longer fail'}"
                                   f": delete from {self.ledger.path}",
                          message="These known differences did not occur in any item that ran to the end "
                                  "(items that errored are not counted); the port now matches there. "
                                  "Delete them from the ledger:\n  " + "\n  ".join(lines))

    # --- the report ----------------------------------------------------------------
    def verdict(self) -> str:
        """divergent (a difference was found) > error (a check could not run) > inconclusive > equivalent."""
        return _verdict([r.outcome for r in self.results.values()], len(self.results) < len(self.specs))

    def report(self) -> dict:
        from equiv import __version__
        counts = {k: 0 for k in ("passed", "failed", "xfailed", "inconclusive", "error", "fixed", "not_run")}
        layers = {}
        for spec in self.specs:
            res = self.results.get(spec.id) or ItemResult("not_run", "not run")
            counts[res.outcome] += 1
            layer = layers.setdefault(spec.layer, {"verdict": "equivalent", "seconds": 0.0, "items": []})
            layer["items"].append(res.to_json(spec))
            layer["seconds"] = round(layer["seconds"] + res.seconds, 4)
        for layer in layers.values():
            outs = [i["outcome"] for i in layer["items"]]
            layer["verdict"] = _verdict(outs, "not_run" in outs)
        partial = len(self.results) < len(self.specs) or self.interrupted is not None
        return {
            "equiv_version": __version__, "run_id": self.run_id, "family": self.suite.family,
            "reference": self.reference,
            "ported": self.ported, "verdict": self.verdict(), "partial": partial,
            "interrupted": self.interrupted, "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "settings": {"tier": self.options.tier, "seed": self.seed, "layers": list(self.options.layers),
                         "variants": self.variants, "policies": self._policies,
                         "variant_configs": {v: self.suite.variants[v] for v in self.variants},
                         "sync": self.sync.describe(), "strict": self.options.strict,
                         "randomness": {"reference": self.ref_cls.randomness, "ported": self.port_cls.randomness},
                         "tier_settings": {k: v for k, v in vars(self.tier).items()},
                         "command": self.options.command},
            "provenance": {"reference": self.provenance.get("reference", {"adapter": self.reference}),
                           "ported": self.provenance.get("ported", {"adapter": self.ported})},
            "counts": counts, "layers": layers, "ledger": self.ledger.to_json(), "plan": self.notes,
        }

    def write_report(self) -> tuple[Path, Path] | None:
        if self.options.report_dir is None:
            return None
        from equiv._report import replaced_run, write_report
        report = self.report()
        if not self._announced:  # say once what this run's report replaces, and where the old one stays
            self._announced = True
            old = replaced_run(Path(self.options.report_dir), report)
            if old is not None:
                state = "PARTIAL" if old.get("partial") else "complete"
                self.progress(f"replacing the latest report of this pair ({state}, {old['verdict']}, started "
                              f"{old.get('started')}); it stays at "
                              f"{Path(self.options.report_dir) / old['_kept']}")
        return write_report(Path(self.options.report_dir), report)

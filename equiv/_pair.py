"""One reference/port pair under test: its adapters, plan, results and report."""
from __future__ import annotations

import datetime as _dt
import hashlib
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from equiv._errors import ConfigError, EquivError
from equiv._items import ItemResult, ItemSpec
from equiv._ledger import Ledger
from equiv._registry import resolve_pair
from equiv._side import Side

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


class PairRun:
    def __init__(self, reference: str, ported: str, options: RunOptions):
        self.reference, self.ported, self.options = reference, ported, options
        self.ref_cls, self.port_cls, self.suite = resolve_pair(reference, ported)
        if options.tier not in self.suite.tiers:
            raise ConfigError(f"unknown tier {options.tier!r}; the {self.suite.family!r} suite has "
                              f"{sorted(self.suite.tiers)}")
        self.tier = self.suite.tiers[options.tier]
        self.variants = self._pick("variant", options.variants, self.tier.variants, list(self.suite.variants))
        self.ledger = Ledger.load(self.suite.ledger_path)
        self.aligned = self.ref_cls.randomness is not None and self.ref_cls.randomness == self.port_cls.randomness
        self.seed = int(options.seed)
        self._policies = self._pick("policy", options.policies, self.tier.policies, self.suite.policy_names())
        self._sides: dict = {}
        self._side_errors: dict = {}
        self._stats = None
        self.specs: list[ItemSpec] = []
        self.results: dict[str, ItemResult] = {}
        self.started = _dt.datetime.now(_dt.timezone.utc)
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
                        adapter = cls(**config)
                    except EquivError:
                        raise
                    except Exception as e:
                        raise EquivError(f"{label} adapter {name!r} cannot be built for variant {variant!r} "
                                         f"({config}): {type(e).__name__}: {e}") from e
                    made.append(Side(adapter, self.suite, label, name))
            except EquivError as e:
                for s in made:
                    s.close()
                self._side_errors[variant] = e
                raise
            self._sides[variant] = tuple(made)
            for s in made:
                self.provenance.setdefault(s.label, s.provenance())
        return self._sides[variant]

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

        ``group`` "reference" and "ported" get disjoint sets (statistics must not compare an
        episode with itself); "lockstep" plays the same seeds on both sides."""
        space = self.suite.seed_space or 2**31
        offset = {"lockstep": 0, "reference": 1_000_000, "ported": 2_000_000}[group]
        if self.suite.seed_space is None:
            return [(self.seed + offset + i) % space for i in range(n)]
        half = space // 2  # a bounded space is split: reference seeds below half, ported above
        base = {"lockstep": 0, "reference": 0, "ported": half}[group]
        width = space if group == "lockstep" else half
        return [base + (self.seed + i) % width for i in range(n)]

    def seed_strategy(self):
        """Hypothesis strategy of valid reset seeds."""
        from hypothesis import strategies as st
        return st.integers(0, (self.suite.seed_space or 2**31) - 1)

    def progress(self, line: str) -> None:
        if self.options.progress is not None:
            self.options.progress(f"[equiv {self.reference} vs {self.ported}] {line}")

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
        self.specs = [s for layer in self.options.layers for s in builders[layer](self)]
        if self.ledger.entries:
            self.specs.append(ItemSpec("ledger::stale-entries", "ledger", "-", "stale-entries",
                                       lambda p: p._check_ledger()))
        return self.specs

    def run(self, spec: ItemSpec) -> ItemResult:
        t0 = time.perf_counter()
        if spec.layer != "ledger":
            self.ledger.note_ran(spec.id)
        try:
            result = spec.run(self)
        except EquivError as e:
            result = ItemResult("error", str(e).splitlines()[0], message=str(e))
        except Exception as e:  # a bug in a suite strategy or metric: show it whole
            result = ItemResult("error", f"{type(e).__name__}: {e}", message=traceback.format_exc())
        result.seconds = time.perf_counter() - t0
        self.results[spec.id] = result
        return result

    def _check_ledger(self) -> ItemResult:
        stale = self.ledger.stale()
        if not stale:
            return ItemResult("passed", f"{len(self.ledger.entries)} ledger entries, all still needed "
                                        f"or not exercised in this run")
        lines = [f"{e.id}: {e.reason} (fields {e.fields})" for e in stale]
        return ItemResult("fixed", f"{len(stale)} ledger entr{'y no longer fails' if len(stale) == 1 else 'ies no longer fail'}"
                                   f": delete from {self.ledger.path}",
                          message="These known differences did not occur; the port now matches. Delete "
                                  "them from the ledger:\n  " + "\n  ".join(lines))

    # --- the report ----------------------------------------------------------------
    def verdict(self) -> str:
        outcomes = [r.outcome for r in self.results.values()]
        if any(o in ("failed", "error", "fixed") for o in outcomes):
            return "divergent"
        if any(o == "inconclusive" for o in outcomes) or len(self.results) < len(self.specs):
            return "inconclusive"
        return "equivalent"

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
            outs = {i["outcome"] for i in layer["items"]}
            layer["verdict"] = ("divergent" if outs & {"failed", "error", "fixed"} else
                                "inconclusive" if outs & {"inconclusive", "not_run"} else "equivalent")
        partial = len(self.results) < len(self.specs) or self.interrupted is not None
        return {
            "equiv_version": __version__, "family": self.suite.family, "reference": self.reference,
            "ported": self.ported, "verdict": self.verdict(), "partial": partial,
            "interrupted": self.interrupted, "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "settings": {"tier": self.options.tier, "seed": self.seed, "layers": list(self.options.layers),
                         "variants": self.variants, "policies": self._policies,
                         "variant_configs": {v: self.suite.variants[v] for v in self.variants},
                         "aligned_randomness": self.aligned,
                         "randomness": {"reference": self.ref_cls.randomness, "ported": self.port_cls.randomness},
                         "tier_settings": {k: v for k, v in vars(self.tier).items()},
                         "command": self.options.command},
            "provenance": {"reference": self.provenance.get("reference", {"adapter": self.reference}),
                           "ported": self.provenance.get("ported", {"adapter": self.ported})},
            "counts": counts, "layers": layers, "ledger": self.ledger.to_json(),
        }

    def write_report(self) -> tuple[Path, Path] | None:
        if self.options.report_dir is None:
            return None
        from equiv._report import write_report
        return write_report(Path(self.options.report_dir), self.report())

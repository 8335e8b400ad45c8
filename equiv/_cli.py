"""The ``equiv`` command: list adapters, run the gate, regenerate a report, benchmark a pair."""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from equiv._errors import EquivError


def _list(args) -> int:
    from equiv._registry import adapter_names, describe
    rows = [describe(n) for n in adapter_names()]
    name_w = max([4] + [len(r.name) for r in rows]) + 2
    family_w = max([6] + [len(r.family or "?") for r in rows]) + 2
    print(f"{'name':<{name_w}}{'family':<{family_w}}{'role':<11}status")
    for r in rows:
        status = "ok" if r.missing is None else f"NOT USABLE: {r.missing}"
        print(f"{r.name:<{name_w}}{r.family or '?':<{family_w}}{r.role or '?':<11}{status}")
    print("\nalso, with no code: gym:<any registered Gymnasium id> and gymnax:<gymnax id> or "
          "gymnax:<package.module:Class> (e.g. reference=gym:CartPole-v1 ported=gymnax:CartPole-v1)")
    return 0


def _gate_pairs(config: Path) -> list[list[str]]:
    if not config.exists():
        raise EquivError(f"{config} not found; run `equiv gate` in the project root or pass --config")
    data = tomllib.loads(config.read_text())
    pairs = data.get("tool", {}).get("equiv", {}).get("gate")
    if not pairs:
        raise EquivError(f"{config} has no [tool.equiv] gate = [\"reference=X ported=Y\", ...] list")
    return [p.split() for p in pairs]


def _gate(args) -> int:
    import pytest
    argv = ["-p", "no:cacheprovider", "-rs", "--equiv-tier", args.tier, "--equiv-report", args.report,
            "--equiv-seed", str(args.seed)]
    for words in _gate_pairs(Path(args.config)):
        argv += ["--equiv", *words]
    return int(pytest.main(argv + list(args.pytest_args)))


def _report(args) -> int:
    from equiv._report import regenerate
    print(regenerate(Path(args.json)))
    return 0


def _bench(args) -> int:
    from equiv._pair import parse_pair_spec
    from equiv._registry import resolve_pair
    spec = parse_pair_spec(args.pair)
    ref_cls, port_cls, suite = resolve_pair(spec["reference"], spec["ported"])
    if suite.bench is None:
        raise EquivError(f"the {suite.family!r} suite defines no benchmark")
    suite.bench(ref_cls, port_cls, args.bench_args)
    return 0


def _calibrate(args) -> int:
    import numpy as np

    from equiv._calibrate import describe, measure
    from equiv._pair import parse_pair_spec, side_config
    from equiv._registry import resolve_pair
    from equiv._side import Side
    words = list(args.pair)
    if not any(w.startswith("ported=") for w in words):  # the reference against itself
        words.append("ported=" + next((w.split("=", 1)[1] for w in words if w.startswith("reference=")), ""))
    spec = parse_pair_spec(words)
    ref_cls, port_cls, suite = resolve_pair(spec["reference"], spec["ported"])
    variant = spec.get("variant", next(iter(suite.variants)))
    if variant not in suite.variants:
        raise EquivError(f"unknown variant {variant!r}; the {suite.family!r} suite has {sorted(suite.variants)}")
    port_dtype = np.dtype(args.port_dtype or getattr(port_cls, "float_dtype", None)
                          or getattr(ref_cls, "float_dtype", None) or "float64")
    side = Side(ref_cls(**side_config(suite.variants[variant], "reference")), suite, "reference",
                spec["reference"])
    try:
        cal = measure(side, suite, variant, port_dtype, episodes=args.episodes,
                      transitions=args.transitions, sync_every=suite.sync_every, progress=print)
    finally:
        side.close()
    if args.out:
        out = Path(args.out)
    elif hasattr(ref_cls, "default_suite") and suite.root is None:
        from equiv._generated import calibration_path
        out = calibration_path(ref_cls, port_dtype)
    else:
        out = Path(suite.root) / "calibration.json"
    cal.save(out)
    print(describe(cal))
    print(f"written to {out}")
    return 0


def _check_adapter(args) -> int:
    from equiv._check import main as check
    variant = None
    for w in args.words:
        key, eq, value = w.partition("=")
        if key != "variant" or not eq:
            raise EquivError(f"check-adapter takes NAME [variant=V]; got {w!r}")
        variant = value
    return check(args.name, variant, args.tier)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="equiv", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every adapter: name, family, role, whether it is usable").set_defaults(fn=_list)
    g = sub.add_parser("gate", help="check every pair listed in [tool.equiv] gate (pyproject.toml) and "
                                    "write the reports")
    g.add_argument("--tier", default="quick", choices=("quick", "standard", "deep"))
    g.add_argument("--report", default="equiv-report")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--config", default="pyproject.toml")
    g.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    g.set_defaults(fn=_gate)
    r = sub.add_parser("report", help="regenerate the HTML next to a report JSON")
    r.add_argument("json")
    r.set_defaults(fn=_report)
    k = sub.add_parser("check-adapter", help="check one adapter alone against its family's contract "
                                             "(round trip, determinism, schema, legal mask, seeding, close)")
    k.add_argument("name")
    k.add_argument("words", nargs="*", metavar="variant=V")
    k.add_argument("--tier", default="quick", choices=("quick", "standard", "deep"))
    k.set_defaults(fn=_check_adapter)
    c = sub.add_parser("calibrate", help="measure the reference against itself and write proposed tolerances, "
                                         "margins and episode counts, e.g. equiv calibrate reference=X [ported=Y]")
    c.add_argument("pair", nargs="+", metavar="reference=X [ported=Y] [variant=V]")
    c.add_argument("--episodes", type=int, default=1000, help="reference episodes for the margins (default 1000)")
    c.add_argument("--transitions", type=int, default=200,
                   help="perturbed transitions for the tolerances (default 200)")
    c.add_argument("--port-dtype", default=None, help="the port's float precision (default: the port "
                                                      "adapter's float_dtype, else the reference's)")
    c.add_argument("--out", default=None, help="where to write the JSON (default: the suite's "
                                               "calibration.json, or equiv's cache for generated suites)")
    c.set_defaults(fn=_calibrate)
    b = sub.add_parser("bench", help="side-by-side throughput of a pair, e.g. equiv bench reference=X ported=Y")
    b.add_argument("pair", nargs=2, metavar="reference=X ported=Y")
    b.add_argument("bench_args", nargs=argparse.REMAINDER)
    b.set_defaults(fn=_bench)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except EquivError as e:
        print(f"equiv: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""``equiv check-adapter NAME``: one adapter checked alone, before it has a counterpart.

Like pgx's ``api_test``: it builds the adapter for a variant of its family's suite and checks
the contract every layer relies on — reset and seeding, the canonical state against the schema
(names, dtypes, shapes), step outputs against the output schema, the legal mask, that
``set_state(get_state())`` round-trips and continues identically, that a seed replays
identically, and that ``close`` works. Each check says what failed and what to fix.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass

import numpy as np

from equiv._errors import ConfigError, EquivError
from equiv._pair import PairRun, RunOptions, side_config
from equiv._side import Side

SEEDS = (0, 1, 2, 3)
STEPS = 50


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _dtype_problems(schema, values: dict, who: str) -> list[str]:
    out = []
    for name, f in schema.fields.items():
        got = np.asarray(values[name]).dtype
        if got != f.np_dtype and not (f.cast and got.kind == f.np_dtype.kind == "f"):
            out.append(f"{who}: field {name!r} is {got}, the schema says {f.dtype}")
    return out


def check_adapter(name: str, variant: str | None = None, tier: str = "quick") -> list[Check]:
    pair = PairRun(name, name, RunOptions(tier=tier, report_dir=None, layers=("L1",),
                                          variants=(variant,) if variant else None))
    suite, variant = pair.suite, pair.variants[0]
    label = "reference" if getattr(pair.ref_cls, "role", "ported") == "reference" else "ported"
    checks: list[Check] = []

    def run(what, fn):
        try:
            detail = fn()
            checks.append(Check(what, True, detail or "ok"))
        except (EquivError, AssertionError, ValueError, TypeError) as e:
            checks.append(Check(what, False, str(e)))
        except Exception as e:  # an adapter bug: show where
            checks.append(Check(what, False, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-3)}"))

    side = Side(pair.ref_cls(**side_config(suite.variants[variant], label)), suite, label, name)
    try:
        def resets():
            starts = []
            for seed in SEEDS:
                side.reset(seed)
                state = side.state()
                problems = _dtype_problems(suite.state, state, "get_state()")
                assert not problems, "; ".join(problems)
                starts.append(state)
            same = all(not suite.state.compare(starts[0], s) for s in starts[1:])
            assert not same or suite.seed_space == 1, (
                f"reset gives the same state for seeds {list(SEEDS)}: is the seed used?")
            return f"seeds {list(SEEDS)} give {len(starts)} schema-conforming, distinct starts"
        run("reset, seeding and the state schema", resets)

        def steps():
            space = suite.space_for(variant)
            rng = np.random.default_rng(0)
            side.reset(SEEDS[0])
            taken = 0
            for _ in range(STEPS):
                legal = side.legal()
                if legal is not None:
                    mask = np.asarray(legal)
                    assert mask.dtype == bool, f"legal_actions() returned {mask.dtype}, a bool mask is expected"
                    n = getattr(space, "n", None)
                    assert n is None or mask.shape[-1] == n, (
                        f"legal_actions() has shape {mask.shape}; the action space has {n} actions")
                    assert mask.any(), "legal_actions() allows no action in a live episode"
                out = side.step(space.sample(rng, legal))
                problems = _dtype_problems(suite.outputs, out, "step() outputs")
                assert not problems, "; ".join(problems)
                taken += 1
                if bool(out["terminated"]) or bool(out["truncated"]):
                    break
            return f"{taken} random legal steps, outputs match the output schema"
        run("step outputs and the legal mask", steps)
    finally:
        side.close()

    for which in ("roundtrip", "determinism"):
        spec = next(s for s in pair.plan() if s.name == f"{which}[reference]" and s.variant == variant)
        result = pair.run(spec)
        checks.append(Check(f"{which} (L1)", result.outcome == "passed",
                            result.summary if result.outcome == "passed" else result.message or result.summary))

    def closing():
        pair.close()
        return "close() released the adapters"
    run("close", closing)
    return checks


def main(name: str, variant: str | None, tier: str) -> int:
    try:
        checks = check_adapter(name, variant, tier)
    except ConfigError as e:
        print(f"equiv: error: {e}")
        return 2
    width = max(len(c.name) for c in checks) + 2
    for c in checks:
        print(f"{'ok    ' if c.ok else 'FAILED'} {c.name:<{width}}{c.detail.splitlines()[0] if c.ok else ''}")
        if not c.ok:
            print("       " + c.detail.replace("\n", "\n       "))
    failed = sum(not c.ok for c in checks)
    print(f"\n{name}: {len(checks) - failed} of {len(checks)} checks passed")
    return 1 if failed else 0

"""Semantic coverage: which keys (opcode × flag decision, move × outcome, ...) a run exercised.

The suite's ``Coverage.hit`` names the keys each reference transition covers; they are
counted over L1 cases, L2 steps and L3 lockstep steps, per variant. The coverage item at the
end of a pair's plan reports keys hit, how often, and keys never hit; a tier with
``coverage_min = N`` fails it, naming the keys below N (of ``Coverage.required`` where the suite
narrows what a run can be asked for, else of every key).
"""
from __future__ import annotations

from collections import Counter

from equiv._items import ItemResult

SHOWN_MISSING = 40  # keys named in the summary when many fall short


class CoverageCount:
    def __init__(self, coverage):
        self.coverage = coverage
        self.counts: dict[str, Counter] = {}
        self.sources: dict[str, Counter] = {}  # per variant: transitions counted per layer

    def add(self, variant: str, layer: str, before, action, outputs: dict, after) -> None:
        keys = self.coverage.hit(before, action, outputs, after, variant)
        self.counts.setdefault(variant, Counter()).update(str(k) for k in keys or ())
        self.sources.setdefault(variant, Counter())[layer] += 1

    def add_trajectory(self, variant: str, layer: str, traj, start_state) -> None:
        """Every step of a reference recording (its states recorded)."""
        if traj.states is None:
            return
        before = start_state
        for t in range(traj.length):
            after = {k: v[t] for k, v in traj.states.items()}
            out = {k: v[t] for k, v in traj.outputs.items()}
            self.add(variant, layer, before, traj.actions[t], out, after)
            before = after

    def result(self, variant: str, minimum: int) -> ItemResult:
        counts = self.counts.get(variant, Counter())
        universe = self.coverage.keys(variant) if self.coverage.keys is not None else None
        universe = sorted(set(map(str, universe))) if universe is not None else None
        never = [k for k in universe if counts[k] == 0] if universe is not None else []
        demanded = self.coverage.required(variant) if self.coverage.required is not None else None
        demanded = sorted(set(map(str, demanded))) if demanded is not None else universe
        short = [k for k in demanded if counts[k] < minimum] if demanded is not None and minimum else []
        stats = {"coverage": {"counts": dict(sorted(counts.items())), "never": never,
                              "keys": len(universe) if universe is not None else None,
                              "minimum": minimum, "transitions": dict(self.sources.get(variant, {})),
                              "required": len(demanded) if demanded is not None else None}}
        hit = sum(1 for k in (universe if universe is not None else counts) if counts[k] > 0)
        of = f" of {len(universe)}" if universe is not None else ""
        line = (f"{hit}{of} keys hit over {sum(self.sources.get(variant, {}).values())} transitions "
                f"({', '.join(f'{k} {v}' for k, v in sorted(self.sources.get(variant, {}).items()))})")
        if short:
            named = ", ".join(short[:SHOWN_MISSING]) + (f" ... (+{len(short) - SHOWN_MISSING} more)"
                                                      if len(short) > SHOWN_MISSING else "")
            of_required = f" of the {len(demanded)} required" if demanded is not universe else ""
            return ItemResult("failed", f"{len(short)} keys{of_required} hit fewer than {minimum} times: {line}",
                              stats=stats, message=f"coverage below the tier's minimum of {minimum} "
                                                   f"per key; keys short: {named}")
        if demanded is not universe and minimum:
            line += f"; the {len(demanded)} required keys each hit {minimum}+ times"
        if never:
            line += f"; never hit: {len(never)}"
        return ItemResult("passed", line, stats=stats)

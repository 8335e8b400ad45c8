"""Run chosen items of a pair in-process: what a family's own tests need to show a deliberately
broken port caught at a given layer, and the correct port passing the same items.

The items are planned and run exactly as the gate runs them (same plan, same tier, same seeds);
only the selection and the absence of a report differ.
"""
from __future__ import annotations

import dataclasses

from equiv._errors import ConfigError
from equiv._pair import LAYERS, PairRun, RunOptions


def run_items(reference: str, ported: str, *, layers=LAYERS, variants=None, only=(), tier: str = "quick",
              policies=None, seed: int = 0, **tier_changes) -> dict:
    """``{item id: ItemResult}`` for the planned items of ``layers`` whose id starts with one of
    ``only`` (all of them when ``only`` is empty). ``variants``/``policies`` narrow the plan as
    ``variant=``/``policy=`` in ``--equiv`` do; ``tier_changes`` replace fields of the tier
    (e.g. ``l1_examples=20``). An ``only`` that selects nothing is an error, not an empty pass."""
    if isinstance(variants, str):
        variants = (variants,)
    if isinstance(only, str):
        only = (only,)
    pair = PairRun(reference, ported, RunOptions(tier=tier, seed=seed, layers=tuple(layers), report_dir=None,
                                                 variants=None if variants is None else tuple(variants),
                                                 policies=None if policies is None else tuple(policies)))
    try:
        if tier_changes:
            pair.tier = dataclasses.replace(pair.tier, **tier_changes)
        planned = pair.plan()
        specs = [s for s in planned if not only or any(s.id.startswith(o) for o in only)]
        if not specs:
            raise ConfigError(f"no planned item of {reference} vs {ported} starts with {list(only)}; "
                              f"planned: {[s.id for s in planned][:20]}")
        return {s.id: pair.run(s) for s in specs}
    finally:
        pair.close()

"""L3: seeded rollouts, in lockstep where randomness is aligned, and statistically always.

Lockstep: the reference plays whole episodes under a policy; the port replays the
very same actions; every step is compared. Statistics: each side plays its own
seeds (disjoint sets, so equal samples prove nothing by construction), every
suite metric is extracted per episode, and the samples are compared with TOST
against the declared margin plus a distribution test, Holm-corrected across all
metrics of the pair.
"""
from __future__ import annotations

import numpy as np

from equiv._compare import first_divergence
from equiv._errors import AdapterError
from equiv._items import ItemResult, ItemSpec, item_id

LOCKSTEP_CHUNK = 8  # episodes held in memory at once


def _variants(pair) -> list[str]:
    only = pair.tier.l3_variants
    return [v for v in pair.variants if only is None or v in only]


def plan(pair) -> list[ItemSpec]:
    specs = []
    for variant in _variants(pair):
        for policy in pair.policies():
            if pair.aligned:
                specs.append(ItemSpec(item_id("L3", f"lockstep[{policy}]", variant), "L3", variant,
                                      f"lockstep[{policy}]", lambda p, v=variant, po=policy: lockstep(p, v, po)))
            for m in pair.suite.metrics:
                if m.policies is None or policy in m.policies:
                    name = f"stats[{policy}]:{m.name}"
                    specs.append(ItemSpec(item_id("L3", name, variant), "L3", variant, name,
                                          lambda p, v=variant, po=policy, mm=m: statistic(p, v, po, mm)))
    return specs


def lockstep(pair, variant: str, policy_name: str) -> ItemResult:
    ref, port = pair.sides(variant)
    policy = pair.suite.policy(policy_name, variant)
    n = pair.tier.lockstep_episodes
    seeds = pair.episode_seeds(n)
    spec_id = item_id("L3", f"lockstep[{policy_name}]", variant)
    steps = 0
    for lo in range(0, n, LOCKSTEP_CHUNK):
        chunk = seeds[lo:lo + LOCKSTEP_CHUNK]
        r_trajs = _whole(ref.rollouts(chunk, policy, pair.tier.max_steps, record_states=True), ref)
        # A port that has diverged may then refuse one of the reference's actions and stop: the
        # divergence before the stop is the finding; a stop with nothing diverged is not evidence.
        p_trajs = port.replays(chunk, [t.actions for t in r_trajs], record_states=True)
        for seed, rt, pt in zip(chunk, r_trajs, p_trajs):
            steps += rt.length
            div = first_divergence(pair.suite, rt, pt)
            if pt.interrupted and (div is None or div.step >= pt.length):
                _whole([pt], port)
            if div is None:
                continue
            div.seed = seed
            div.detail = pair.explain(variant, seed, [a for a in rt.actions[: div.step + 1]])
            entry = pair.ledger.excuse(spec_id, div.field_names)
            if entry is not None:
                return ItemResult("xfailed", f"known difference {entry.id}: {div.headline()}",
                                  divergence=div, ledger=[entry.id])
            done = seeds.index(seed)
            stop = (f"\nthe port's replay then stopped after {pt.length} steps: {pt.interrupted}"
                    if pt.interrupted else "")
            return ItemResult("failed", f"episode {done + 1}/{n}: {div.headline()}", divergence=div,
                              message=f"lockstep under policy {policy_name!r}, {done} episode(s) identical "
                                      f"before this one\n{div.describe()}{stop}")
        pair.progress(f"lockstep[{policy_name}] {variant}: {min(lo + LOCKSTEP_CHUNK, n)}/{n} episodes")
    return ItemResult("passed", f"{n} episodes, {steps} steps, identical at every step", examples=n)


def statistic(pair, variant: str, policy_name: str, metric) -> ItemResult:
    verdicts = pair.statistics()  # every metric of the pair at once: Holm needs all p-values
    v = verdicts[(variant, policy_name, metric.name)]
    stats = {**v.to_json(), "metric": metric.name, "policy": policy_name, "variant": variant}
    spec_id = item_id("L3", f"stats[{policy_name}]:{metric.name}", variant)
    line = (f"{metric.name}: reference {v.mean_ref:.4g}±{v.sd_ref:.3g} vs ported {v.mean_port:.4g}±"
            f"{v.sd_port:.3g} (n={v.n_ref}/{v.n_port}), diff {v.diff:+.4g}, margin ±{metric.margin:g}, "
            f"TOST p={v.p_tost_holm:.3g}, {v.test} p={v.p_diff_holm:.3g} (Holm)")
    if v.verdict == "equivalent":
        return ItemResult("passed", "EQUIVALENT: " + line, stats=stats, examples=v.n_ref)
    if v.verdict == "inconclusive":
        return ItemResult("inconclusive", "INCONCLUSIVE: " + v.reason, stats=stats, examples=v.n_ref,
                          message=line)
    entry = pair.ledger.excuse(spec_id, [metric.name])
    if entry is not None:
        return ItemResult("xfailed", f"known difference {entry.id}: " + line, stats=stats, ledger=[entry.id])
    return ItemResult("failed", line, stats=stats, examples=v.n_ref,
                      message=f"DIVERGENT under policy {policy_name!r}: {v.reason}\n{line}")


def _whole(trajs, side):
    """Episodes an adapter had to cut short (its process died, say) are not evidence: stop here."""
    cut = [t for t in trajs if t.interrupted]
    if cut:
        raise AdapterError(f"{side.label} adapter {side.name!r}: {len(cut)} episode(s) were cut short, "
                           f"first (seed {cut[0].seed}) after {cut[0].length} steps: {cut[0].interrupted}",
                           side=side.label, adapter=side.name)
    return trajs


def collect_samples(pair) -> dict:
    """Run every (variant, policy) once per side; return {(variant, policy, metric): (ref, port, margin, kind)}."""
    n = pair.tier.stat_episodes
    samples = {}
    for variant in _variants(pair):
        ref, port = pair.sides(variant)
        for policy_name in pair.policies():
            metrics = [m for m in pair.suite.metrics if m.policies is None or policy_name in m.policies]
            if not metrics:
                continue
            policy = pair.suite.policy(policy_name, variant)
            needs_states = any(m.needs_states for m in metrics)
            per_side = []
            for side in (ref, port):
                seeds = pair.episode_seeds(n, side.label)
                trajs = _whole(side.rollouts(seeds, policy, pair.tier.max_steps, record_states=needs_states), side)
                per_side.append({m.name: np.asarray([float(m.extract(t)) for t in trajs]) for m in metrics})
                pair.progress(f"statistics {variant}/{policy_name}: {side.label} {n} episodes done")
            for m in metrics:
                samples[(variant, policy_name, m.name)] = (per_side[0][m.name], per_side[1][m.name],
                                                           m.margin, m.kind)
    return samples

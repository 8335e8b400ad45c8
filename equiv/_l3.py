"""L3: seeded rollouts, in lockstep where the sides can share a trajectory, and statistically always.

Lockstep: the reference plays whole episodes under a policy; the port replays the very
same actions, from the same seed when the two reproduce each other's generator, else from
the reference's start state (state-synced); every step is compared (in teacher-forced
segments when the suite says so). Statistics: each side plays its own seeds (disjoint
sets, so equal samples prove nothing by construction), every suite metric is extracted
per episode, and the samples are compared with TOST against the declared margin plus a
distribution test, Holm-corrected across all metrics of the pair.
"""
from __future__ import annotations

import numpy as np

from equiv._errors import AdapterError
from equiv._items import ItemResult, ItemSpec, item_id
from equiv._lockstep import Growth, Tally, compare_episodes, perturbed

LOCKSTEP_CHUNK = 8  # episodes held in memory at once
# Statistics episodes asked of an adapter per call: each call stays short enough for the hang
# watchdog (tier.call_timeout) whatever the tier's episode count, and recorded states stay small.
STATS_CHUNK = 64


def _variants(pair) -> list[str]:
    only = pair.tier.l3_variants
    return [v for v in pair.variants if only is None or v in only]


def plan(pair) -> list[ItemSpec]:
    specs = []
    variants = _variants(pair)
    if not variants:
        pair.note("L3", "rollouts", False, f"the tier runs rollouts only on {list(pair.tier.l3_variants)}, "
                                           f"none of which is selected")
    if pair.sync.comparable:
        how = ("from the same seeds" if pair.sync.aligned else "from the reference's start state")
        forced = (f", re-synchronised every {pair.suite.sync_every} steps (teacher-forced), with "
                  f"free-running error growth" if pair.suite.sync_every else "")
        pair.note("L3", "lockstep", bool(variants), f"{pair.tier.lockstep_episodes} episodes per policy "
                                                    f"and variant {how}{forced}")
    else:
        pair.note("L3", "lockstep", False, pair.sync.why_not)
    pair.note("L3", "statistics", bool(variants and pair.suite.metrics),
              f"{pair.tier.stat_episodes} episodes per side on disjoint seeds" if pair.suite.metrics
              else "the suite declares no metrics")
    for variant in variants:
        for policy in pair.policies():
            if pair.sync.comparable:
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
    precision = pair.suite.sensitivity_precision.get(variant)  # the "one ulp away" of this variant
    tally, growth = Tally(), Growth()
    suite = pair.suite
    # The reference's start state: the port's start when resets differ, and the state before the
    # first step for thresholds, coverage and segments. An aligned exact pair needs none of it.
    need_starts = not pair.sync.aligned or suite.thresholds or suite.coverage or suite.sync_every
    for lo in range(0, n, LOCKSTEP_CHUNK):
        chunk = seeds[lo:lo + LOCKSTEP_CHUNK]
        start_states = []
        for seed in chunk:
            if need_starts:
                ref.reset(seed)
            start_states.append(ref.state() if need_starts else None)
        r_trajs = _whole(ref.rollouts(chunk, policy, pair.tier.max_steps, record_states=True), ref)
        for traj, start in zip(r_trajs, start_states):
            pair.count_coverage(variant, "L3", traj, start)
        starts = chunk if pair.sync.aligned else start_states

        def evidence(div, i, pt):
            # A port that diverged may then refuse one of the reference's actions and stop: the
            # divergence before the stop is the finding; a stop with nothing diverged is not evidence.
            div.detail = pair.explain(variant, starts[i], list(r_trajs[i].actions[: div.step + 1]))
            if pt.interrupted:
                div.detail = (div.detail or "") + (f"\nthe port's replay then stopped after {pt.length} "
                                                   f"steps: {pt.interrupted}")

        compare_episodes(pair, port, spec_id, "L3", r_trajs, starts, start_states, tally, evidence, variant,
                         reference=ref)
        if pair.suite.sync_every:
            actions = [t.actions for t in r_trajs]
            growth.add(pair.suite.state, r_trajs, port.replays(starts, actions, record_states=True),
                       ref.replays([perturbed(s, precision) for s in start_states], actions, record_states=True))
        if tally.first is not None:
            break
        pair.progress_now_and_then(f"lockstep[{policy_name}] {variant}: {min(lo + LOCKSTEP_CHUNK, n)}/{n} episodes")
    stats = {"lockstep": tally.to_json(), "growth": growth.to_json()}
    line = tally.summary()
    if pair.suite.sync_every:
        level = 1e-3
        line += (f"; free-running, the median error passes {level:g} at step "
                 f"{_step_or_never(growth.horizon('ported', level))} (the reference one "
                 f"{precision + ' ' if precision else ''}ulp away: "
                 f"{_step_or_never(growth.horizon('reference', level))})")
    if tally.first is not None:
        div = tally.first
        return ItemResult("failed", f"episode {tally.episodes}/{n}: {div.headline()}", divergence=div,
                          stats=stats, message=f"lockstep under policy {policy_name!r}: {line}\n"
                                               f"{div.describe()}")
    if tally.excused:
        return ItemResult("xfailed", f"known differences: {line}", stats=stats, examples=n,
                          ledger=sorted(tally.excused))
    return ItemResult("passed", line, stats=stats, examples=n,
                      divergence=tally.first_borderline)


def statistic(pair, variant: str, policy_name: str, metric) -> ItemResult:
    verdicts = pair.statistics()  # every metric of the pair at once: Holm needs all p-values
    v = verdicts[(variant, policy_name, metric.name)]
    stats = {**v.to_json(), "metric": metric.name, "policy": policy_name, "variant": variant,
             "margin_source": metric.doc or "declared in the suite"}
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


def _step_or_never(step) -> str:
    return "never" if step is None else str(step)


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
                values = {m.name: [] for m in metrics}
                for lo in range(0, n, STATS_CHUNK):
                    chunk = seeds[lo:lo + STATS_CHUNK]
                    trajs = _whole(side.rollouts(chunk, policy, pair.tier.max_steps, record_states=needs_states),
                                   side)
                    for m in metrics:
                        values[m.name].extend(float(m.extract(t)) for t in trajs)
                    if lo + STATS_CHUNK < n:
                        pair.progress_now_and_then(f"statistics {variant}/{policy_name}: {side.label} "
                                                   f"{lo + len(chunk)}/{n} episodes")
                per_side.append({k: np.asarray(v) for k, v in values.items()})
                pair.progress(f"statistics {variant}/{policy_name}: {side.label} {n} episodes done")
            for m in metrics:
                samples[(variant, policy_name, m.name)] = (per_side[0][m.name], per_side[1][m.name],
                                                           m.margin, m.kind)
    return samples

"""L1: single-transition properties, generated and shrunk by Hypothesis.

Cross properties inject the same generated state into both sides, take one
transition, and compare every output and state field. Per-side properties check
what makes comparison meaningful at all: ``set_state(get_state(s))`` round-trips
and continues identically, and each side is deterministic given its seed.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from equiv._compare import Divergence, compare_step, split_borderline
from equiv._errors import EquivError, with_cause
from equiv._watchdog import CallTimeout
from equiv._items import ItemResult, ItemSpec, item_id
from equiv._suite import Case

SIDES = ("reference", "ported")
DETERMINISM_STEPS = 20
ROUNDTRIP_WARMUP = 30


class _Diverged(AssertionError):
    pass


def plan(pair) -> list[ItemSpec]:
    specs = []
    pair.note("L1", "round trip and determinism, per side", True,
              "set_state(get_state(s)) continues identically; the same seed replays identically")
    if not pair.suite.properties:
        pair.note("L1", "cross properties", False, "the suite declares no properties")
    elif pair.sync.comparable:
        pair.note("L1", "cross properties", True,
                  f"{len(pair.suite.properties)} properties: the same generated state injected into both "
                  f"sides ({'aligned generators' if pair.sync.aligned else 'both steps draw nothing'})")
    else:
        pair.note("L1", "cross properties", False, pair.sync.why_not)
    for variant in pair.variants:
        for side in SIDES:
            specs.append(ItemSpec(item_id("L1", f"roundtrip[{side}]", variant), "L1", variant,
                                  f"roundtrip[{side}]", lambda p, v=variant, s=side: roundtrip(p, v, s)))
            specs.append(ItemSpec(item_id("L1", f"determinism[{side}]", variant), "L1", variant,
                                  f"determinism[{side}]", lambda p, v=variant, s=side: determinism(p, v, s)))
        if not pair.sync.comparable:
            continue
        for prop in pair.suite.properties:
            if (prop.variants is None or variant in prop.variants) and (
                    prop.tiers is None or pair.options.tier in prop.tiers):
                specs.append(ItemSpec(item_id("L1", prop.name, variant), "L1", variant, prop.name,
                                      lambda p, v=variant, pr=prop: cross_property(p, v, pr)))
    return specs


def run_hypothesis(pair, spec_id: str, strategy, check, max_examples: int, explain=None) -> ItemResult:
    """Drive ``check(example) -> Divergence | None`` with Hypothesis; keep the shrunk failure.

    ``explain(divergence) -> str | None`` adds evidence, for the shrunk case only (it can be slow)."""
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis.errors import Flaky

    last = {"n": 0}

    @seed(pair.seed_for(spec_id))
    @settings(max_examples=max_examples, deadline=None, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(strategy)
    def prop(example):
        if "error" in last:  # an adapter error is not a property to shrink: let the run wind down
            return
        last["n"] += 1
        last["example"] = example
        pair.progress_now_and_then(f"{spec_id}: {last['n']} of {max_examples} examples")
        try:
            div = check(example)
        except EquivError as e:
            last["error"] = e
            return
        if div is not None:
            last["div"] = div
            raise _Diverged(div.headline())

    try:
        prop()
        if "error" in last:
            raise last["error"]
    except _Diverged:
        div = last["div"]  # Hypothesis replays the shrunk example last
        if explain is not None:
            div.detail = explain(div)
        return ItemResult("failed", div.headline(), examples=last["n"], divergence=div,
                          message=div.describe() + "\n(shrunk by Hypothesis to the smallest diverging case)")
    except EquivError as e:
        ex = last.get("example")
        if isinstance(e, CallTimeout):
            raise  # the pair drops this variant's adapters
        return ItemResult("error", str(e).splitlines()[0], examples=last["n"],
                          message=f"{with_cause(e)}\nthe example it happened on: {_describe_example(ex)}")
    except Flaky as e:
        return ItemResult("error", "the check gave different answers for the same example (flaky)",
                          examples=last["n"], message=str(e))
    return ItemResult("passed", f"{last['n']} examples, no difference", examples=last["n"])


def _describe_example(ex) -> str:
    if isinstance(ex, Case):
        return f"action={ex.action!r} state={ {k: np.asarray(v).tolist() for k, v in ex.state.items()} }"
    return repr(ex)


def cross_property(pair, variant: str, prop) -> ItemResult:
    ref, port = pair.sides(variant)
    spec_id = item_id("L1", prop.name, variant)
    strategy = prop.cases(ref.adapter, variant)
    excused: Counter = Counter()
    borderline: list = []

    def check(case: Case):
        state = pair.suite.state.coerce(case.state, f"property {prop.name!r} case")
        r_out, r_next = ref.transition(state, case.action)
        pair.count_transition(variant, "L1", state, case.action, r_out, r_next)
        p_out, p_next = port.transition(state, case.action)
        mism, close_calls = split_borderline(
            pair.suite, compare_step(pair.suite, r_out, r_next, p_out, p_next, "L1", variant),
            state, case.action, r_out, r_next)
        if not mism:
            if close_calls:
                borderline.append(close_calls)
            return None
        entry = pair.ledger.excuse(spec_id, [m.field for m in mism], mism)
        if entry is not None:
            excused[entry.id] += 1
            return None
        return Divergence(None, mism, action=case.action, previous_state=state,
                          reference={**r_out, **{"state." + k: v for k, v in r_next.items()}},
                          ported={**p_out, **{"state." + k: v for k, v in p_next.items()}},
                          case={"state": {k: np.asarray(v).tolist() for k, v in state.items()},
                                "action": np.asarray(case.action).tolist(), "note": case.note})

    result = run_hypothesis(pair, spec_id, strategy, check, pair.tier.l1_examples,
                            explain=lambda d: pair.explain(variant, d.previous_state, [d.action]))
    if result.outcome == "passed" and excused:
        known = ", ".join(f"{k} in {n} case(s)" for k, n in sorted(excused.items()))
        result.outcome, result.ledger = "xfailed", sorted(excused)
        result.summary = (f"{result.examples} examples; every difference found is a known one "
                          f"(ledger: {known})")
    if result.outcome in ("passed", "xfailed") and borderline:
        result.summary += (f"; {len(borderline)} borderline (a threshold flag decided within tolerance: "
                           f"{borderline[0][0]})")
    return result


def _play_strategy(pair, max_warmup: int):
    from hypothesis import strategies as st
    return st.tuples(pair.seed_strategy(), st.integers(0, max_warmup))


def _random_play(side, policy, seed: int, steps: int, rng) -> None:
    """Reset and take up to ``steps`` random legal actions, stopping in the last live state:
    stepping on from an ended episode is undefined for many environments (Gymnasium's say so)."""
    obs = side.reset(seed)
    taken = []
    for _ in range(steps):
        action = policy(obs, side.legal(), rng)
        out = side.step(action)
        if bool(out["terminated"]) or bool(out["truncated"]):
            side.reset(seed)  # back to the state before the ending step
            for a in taken:
                side.step(a)
            return
        taken.append(action)


def _record(side, rng, policy, steps: int, actions=None) -> tuple[list, list, list]:
    """Play ``actions`` (or ``steps`` random ones); record outputs, states and actions."""
    outs, states, acts = [], [], []
    for i in range(steps if actions is None else len(actions)):
        a = policy(None, side.legal(), rng) if actions is None else actions[i]
        out = side.step(a)
        outs.append(out)
        states.append(side.state())
        acts.append(a)
        if bool(out["terminated"]) or bool(out["truncated"]):
            break
    return outs, states, acts


def roundtrip(pair, variant: str, which: str) -> ItemResult:
    """set_state(get_state(s)) gives back s, and play continues exactly as before."""
    side = pair.sides(variant)[SIDES.index(which)]
    spec_id = item_id("L1", f"roundtrip[{which}]", variant)
    policy = pair.suite.uniform_random(variant)

    def check(example):
        seed, warmup = example
        rng = np.random.default_rng([seed, 1])
        _random_play(side, policy, seed, warmup, rng)
        snapshot = side.state()
        outs, states, acts = _record(side, rng, policy, pair.suite.roundtrip_steps)  # the original run
        side.inject(snapshot)
        again = side.state()
        mism = pair.suite.state.compare(snapshot, again, prefix="state.")
        if mism:
            return Divergence(None, mism, seed=seed, previous_state=snapshot,
                              detail=f"get_state() right after set_state(snapshot) differs from the "
                                     f"snapshot ({which} side, after {warmup} random steps)")
        outs2, states2, _ = _record(side, rng, policy, 0, acts)
        for t, (o1, s1, o2, s2) in enumerate(zip(outs, states, outs2, states2)):
            mism = compare_step(pair.suite, o1, s1, o2, s2)
            if mism:
                return Divergence(t, mism, seed=seed, action=acts[t], previous_state=snapshot,
                                  detail=f"after set_state(get_state()) the {which} side continues "
                                         f"differently from the original at step {t} of the continuation "
                                         f"(labels: reference = original run, ported = restored run)")
        return None

    n = max(5, pair.tier.l1_examples // 4)
    return run_hypothesis(pair, spec_id, _play_strategy(pair, ROUNDTRIP_WARMUP), check, n)


def determinism(pair, variant: str, which: str) -> ItemResult:
    """The same seed and actions give the same states and outputs, every time."""
    side = pair.sides(variant)[SIDES.index(which)]
    spec_id = item_id("L1", f"determinism[{which}]", variant)
    policy = pair.suite.uniform_random(variant)

    def check(seed):
        rng = np.random.default_rng([seed, 2])
        side.reset(seed)
        first = side.state()
        outs, states, acts = _record(side, rng, policy, DETERMINISM_STEPS)
        side.reset(seed)
        mism = pair.suite.state.compare(first, side.state(), prefix="state.")
        if mism:
            return Divergence(None, mism, seed=seed,
                              detail=f"two reset({seed}) calls on the {which} side give different states")
        outs2, states2, _ = _record(side, rng, policy, 0, acts)
        for t, (o1, s1, o2, s2) in enumerate(zip(outs, states, outs2, states2)):
            mism = compare_step(pair.suite, o1, s1, o2, s2)
            if mism:
                return Divergence(t, mism, seed=seed, action=acts[t],
                                  detail=f"the {which} side is not deterministic: same seed and actions, "
                                         f"different result at step {t}")
        return None

    n = max(3, pair.tier.l1_examples // 10)
    return run_hypothesis(pair, spec_id, pair.seed_strategy(), check, n)

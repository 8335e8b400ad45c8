"""L2: scripted traces replayed on both sides, compared at every step."""
from __future__ import annotations

import numpy as np

from equiv._compare import Divergence, first_divergence
from equiv._errors import TraceFileError
from equiv._items import ItemResult, ItemSpec, item_id
from equiv._traces import find_traces, load_trace


def plan(pair) -> list[ItemSpec]:
    if not pair.aligned:
        return []
    specs = []
    for path in find_traces(pair.suite.traces_dir):
        name = str(path.relative_to(pair.suite.traces_dir).with_suffix(""))
        try:
            trace = load_trace(path)
        except TraceFileError as e:
            specs.append(ItemSpec(item_id("L2", name, "-"), "L2", "-", name,
                                  lambda p, err=e: ItemResult("error", str(err), message=str(err))))
            continue
        if trace.variant is not None and trace.variant not in pair.suite.variants:
            msg = (f"{path}: names variant {trace.variant!r}, which the {pair.suite.family!r} suite does "
                   f"not have; use one of {sorted(pair.suite.variants)}")
            specs.append(ItemSpec(item_id("L2", name, trace.variant), "L2", trace.variant, name,
                                  lambda p, m=msg: ItemResult("error", m, message=m)))
            continue
        for variant in pair.variants:
            if trace.variant in (None, variant):
                specs.append(ItemSpec(item_id("L2", name, variant), "L2", variant, name,
                                      lambda p, v=variant, t=trace: run_trace(p, v, t)))
    return specs


def _start_state(pair, ref, trace):
    """The trace's start: its seed, with any state fields it overrides."""
    ref.reset(trace.seed)
    state = ref.state()
    if not trace.state:
        return trace.seed, state
    unknown = set(trace.state) - set(state)
    if unknown:
        raise TraceFileError(f"{trace.path}: 'state' sets unknown fields {sorted(unknown)}; the schema has "
                             f"{pair.suite.state.names()}")
    for k, v in trace.state.items():
        state[k] = np.asarray(v, dtype=state[k].dtype).reshape(state[k].shape)
    return state, state


def run_trace(pair, variant: str, trace) -> ItemResult:
    ref, port = pair.sides(variant)
    spec_id = item_id("L2", trace.name, variant)
    try:
        start, initial = _start_state(pair, ref, trace)
    except TraceFileError as e:
        return ItemResult("error", str(e), message=str(e))
    if isinstance(start, int):  # both sides must agree on the state a seed resets to
        port.reset(trace.seed)
        mism = pair.suite.state.compare(initial, port.state(), prefix="state.")
        if mism:
            div = Divergence(None, mism, seed=trace.seed, detail=f"reset({trace.seed}) gives different states")
            return _fail_or_excuse(pair, spec_id, div, trace)
    r_traj, = ref.replays([start], [trace.actions])
    p_traj, = port.replays([start], [trace.actions])
    for e in trace.expect:  # the trace pins the reference's behaviour too
        problem = _check_expectation(r_traj, e)
        if problem:
            msg = f"{trace.path}: the reference does not meet the trace's expectation: {problem}"
            return ItemResult("failed", msg, message=msg)
    div = first_divergence(pair.suite, r_traj, p_traj, initial_state=initial)
    if div is None:
        return ItemResult("passed", f"{r_traj.length} steps identical")
    div.seed = trace.seed
    div.detail = pair.explain(variant, start, list(trace.actions[: div.step + 1]))
    return _fail_or_excuse(pair, spec_id, div, trace)


def _fail_or_excuse(pair, spec_id, div, trace) -> ItemResult:
    entry = pair.ledger.excuse(spec_id, div.field_names)
    if entry is not None:
        return ItemResult("xfailed", f"known difference {entry.id}: {div.headline()}", divergence=div,
                          ledger=[entry.id])
    return ItemResult("failed", div.headline(), divergence=div,
                      message=f"trace {trace.path.name}: {div.describe()}")


def _check_expectation(traj, e) -> str | None:
    step, name, value = e["step"], e["field"], e["value"]
    if step >= traj.length:
        return f"step {step} was never reached (the episode has {traj.length} steps)"
    source = traj.states if name.startswith("state.") else traj.outputs
    key = name[len("state."):] if name.startswith("state.") else name
    if source is None or key not in source:
        return f"no field {name!r} to check"
    got = source[key][step]
    want = np.asarray(value, dtype=got.dtype)
    if not np.array_equal(got, want):
        return f"step {step} field {name}: expected {value!r}, reference gives {got.tolist()!r}"
    return None

"""L2: scripted traces replayed on both sides, compared at every step."""
from __future__ import annotations

import numpy as np

from equiv._compare import Divergence
from equiv._errors import TraceFileError
from equiv._items import ItemResult, ItemSpec, item_id
from equiv._lockstep import Tally, compare_episodes
from equiv._traces import find_traces, load_trace


def _traces(pair) -> list:
    """(name, trace or TraceFileError) for every trace file and every trace the suite makes in code."""
    found = []
    root = pair.suite.traces_dir
    for path in find_traces(root):
        name = str(path.relative_to(root).with_suffix(""))
        try:
            found.append((name, load_trace(path)))
        except TraceFileError as e:
            found.append((name, e))
    found += [(t.name, t) for t in pair.suite.traces]
    return found


def plan(pair) -> list[ItemSpec]:
    traces = _traces(pair)
    if not traces:
        pair.note("L2", "traces", False, f"the suite has no traces ({pair.suite.traces_dir or 'no folder'})")
        return []
    if not pair.sync.comparable:
        pair.note("L2", "traces", False, pair.sync.why_not)
        return []
    how = "from the same seed" if pair.sync.aligned else "the port starting from the reference's state"
    forced = f", re-synchronised every {pair.suite.sync_every} steps" if pair.suite.sync_every else ""
    pair.note("L2", "traces", True, f"{len(traces)} traces, {how}{forced}")
    specs = []
    for name, trace in traces:
        if isinstance(trace, TraceFileError):
            specs.append(ItemSpec(item_id("L2", name, "-"), "L2", "-", name,
                                  lambda p, err=trace: _bad_trace(err)))
            continue
        if trace.variant is not None and trace.variant not in pair.suite.variants:
            err = TraceFileError(f"{trace.path}: names variant {trace.variant!r}, which the "
                                 f"{pair.suite.family!r} suite does not have; use one of "
                                 f"{sorted(pair.suite.variants)}")
            specs.append(ItemSpec(item_id("L2", name, trace.variant), "L2", trace.variant, name,
                                  lambda p, e=err: _bad_trace(e)))
            continue
        for variant in pair.variants:
            if trace.variant in (None, variant):
                specs.append(ItemSpec(item_id("L2", name, variant), "L2", variant, name,
                                      lambda p, v=variant, t=trace: run_trace(p, v, t)))
    return specs


def _bad_trace(err: TraceFileError) -> ItemResult:
    return ItemResult("error", str(err), message=f"trace file error: {err}")


def _start_state(pair, ref, trace) -> dict:
    """The reference's state at the trace's start: its seed, with any state fields it overrides."""
    ref.reset(trace.seed)
    state = ref.state()
    unknown = set(trace.state) - set(state)
    if unknown:
        raise TraceFileError(f"{trace.path}: 'state' sets unknown fields {sorted(unknown)}; the schema has "
                             f"{pair.suite.state.names()}")
    for k, v in trace.state.items():
        try:
            state[k] = np.asarray(v, dtype=state[k].dtype).reshape(state[k].shape)
        except (TypeError, ValueError) as e:
            raise TraceFileError(f"{trace.path}: 'state' field {k!r} = {v!r} does not fit the schema's "
                                 f"{state[k].dtype}{state[k].shape}: {e}") from None
    return state


def run_trace(pair, variant: str, trace) -> ItemResult:
    ref, port = pair.sides(variant)
    spec_id = item_id("L2", trace.name, variant)
    try:
        trace.check_actions(pair.suite.space_for(variant))
        initial = _start_state(pair, ref, trace)
    except TraceFileError as e:
        return _bad_trace(e)
    start = initial  # state-synced: the port starts from the reference's state
    if pair.sync.aligned and not trace.state:  # same seed, same draws: the resets must agree too
        start = trace.seed
        port.reset(trace.seed)
        mism = pair.suite.state.at("L2", variant).compare(initial, port.state(), prefix="state.")
        if mism:
            div = Divergence(None, mism, seed=trace.seed, detail=f"reset({trace.seed}) gives different states")
            entry = pair.ledger.excuse(spec_id, div.field_names, div.mismatches)
            if entry is not None:
                return ItemResult("xfailed", f"known difference {entry.id}: {div.headline()}", divergence=div,
                                  ledger=[entry.id])
            return ItemResult("failed", div.headline(), divergence=div,
                              message=f"trace {trace.path}: {div.describe()}")
    r_traj, = ref.replays([start], [trace.actions])
    if r_traj.length < len(trace.actions) and not trace.stop_at_end and not r_traj.interrupted:
        e = TraceFileError(f"{trace.path}: the episode ends after step {r_traj.length - 1}, but the trace "
                           f"goes on to step {len(trace.actions) - 1} (next action: "
                           f"{np.asarray(trace.actions[r_traj.length]).tolist()!r}); cut the trace there, or "
                           f"add 'stop_at_end: true' if it means to stop at the episode's end")
        return _bad_trace(e)
    for e in trace.expect:  # the trace pins the reference's behaviour too
        problem = _check_expectation(r_traj, e)
        if problem:
            msg = f"{trace.path}: the reference does not meet the trace's expectation: {problem}"
            return ItemResult("failed", msg, message=msg)
    pair.count_coverage(variant, "L2", r_traj, initial)

    def evidence(div, i, pt):
        div.detail = pair.explain(variant, start, list(trace.actions[: div.step + 1]))

    tally = compare_episodes(pair, port, spec_id, "L2", [r_traj], [start], [initial], Tally(), evidence,
                             variant, reference=ref)
    if tally.first is not None:
        div = tally.first
        return ItemResult("failed", div.headline(), divergence=div,
                          message=f"trace {trace.path}: {div.describe()}")
    line = f"{r_traj.length} steps" + (f" in {tally.segments} teacher-forced segments"
                                         if tally.segments else "")
    if tally.sensitive:
        line += (f" ({tally.sensitive} over tolerance but within the reference's own one-ulp sensitivity: "
                 f"{tally.first_sensitive})")
    if tally.excused:
        return ItemResult("xfailed", f"{line}; known differences: {', '.join(sorted(tally.excused))}",
                          ledger=sorted(tally.excused))
    if tally.borderline:
        return ItemResult("passed", f"{line}, identical but for a borderline flag: "
                                    f"{tally.first_borderline.headline()}", divergence=tally.first_borderline)
    return ItemResult("passed", f"{line}, matching at every step")


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

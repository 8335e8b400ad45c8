"""The default suite of a zero-code pair (``gym:``/``gymnax:``), generated from the reference.

Schema: the reference's canonical state (``state``, ``elapsed``; ``rng`` for a step that
draws) and its outputs (``obs``, ``reward``, ``terminated``, ``truncated``), dtypes and shapes
read off a reset. Tolerances: exact when both sides compute in the same precision; otherwise
calibrated (``equiv._calibrate``) for a port of the other precision, and L2/L3 lockstep
re-synchronise the port every ``SYNC_EVERY`` steps. ``terminated`` is a threshold flag whose
margin is probed on the reference: a disagreement is borderline when the reference itself
flips the flag from a state within the tolerance of the one it stepped from.

Properties: states the reference reaches by play (``played``), those states perturbed by up to
10 % per element (``perturbed``), and played states one step from the time limit
(``time_limit``). Traces, made in code: every constant discrete action (or the bounds and the
middle of a continuous one), alternating actions, and a fixed pseudo-random sequence, each run
to the episode's end. Policy: uniform random. Metrics: return and length, margins calibrated.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from equiv._calibrate import cache_dir, load, measure, needed
from equiv._schema import EXACT, Field, Schema, close
from equiv._spaces import Box, Discrete
from equiv._suite import Case, Coverage, Metric, Property, Suite, Threshold, Tier
from equiv._traces import Trace

SYNC_EVERY = 10  # steps between re-synchronisations when the precisions differ
CALIBRATION_EPISODES = 1000  # rare events (an Acrobot swung up by random play, ~2 %) must show in the sample
TRACE_SEEDS = (0, 1)


def _space(env_space) -> Discrete | Box:
    if hasattr(env_space, "n"):
        return Discrete(int(env_space.n))
    low, high = np.asarray(env_space.low, np.float64), np.asarray(env_space.high, np.float64)
    shape = tuple(getattr(env_space, "shape", None) or np.shape(low))
    return Box(float(np.min(low)) if np.ptp(low) == 0 else tuple(low.ravel().tolist()),
               float(np.max(high)) if np.ptp(high) == 0 else tuple(high.ravel().tolist()),
               shape, "float32")


def action_space_of(adapter) -> Discrete | Box:
    env = adapter.env
    space = env.action_space if hasattr(env, "spec") else env.action_space(adapter.params)
    return _space(space)


def episode_limit(adapter) -> int:
    if hasattr(adapter, "limit"):
        return int(adapter.limit._max_episode_steps)
    return int(adapter.params.max_steps_in_episode)


@functools.lru_cache(maxsize=None)
def generic_suite(ref_cls, port_cls) -> Suite:
    family = ref_cls.family or port_cls.family or ref_cls.registered_name
    ref = ref_cls()
    obs = np.asarray(ref.reset(0))
    state = ref.get_state()
    n = int(state["state"].size)
    space = action_space_of(ref)
    limit = episode_limit(ref)
    ref_dtype = np.dtype(getattr(ref_cls, "float_dtype", "float64"))
    port_dtype = np.dtype(getattr(port_cls, "float_dtype", ref_dtype))
    exact = port_dtype == ref_dtype
    variants = {"default": {"ported": {"state_size": n}} if hasattr(port_cls, "target") else {}}
    if hasattr(ref_cls, "target"):
        variants["default"]["reference"] = {"state_size": n}
    state_fields = [Field("state", "float64", (n,), doc="the physical state, as the reference holds it"),
                    Field("elapsed", "int64", (), doc="steps since reset (decides truncation)")]
    if "rng" in state:
        state_fields.append(Field("rng", "uint64", (6,), doc="the step's PCG64 generator state"))
    outputs = [Field("obs", str(obs.dtype), obs.shape), Field("reward", "float64", ()),
               Field("terminated", "bool", ()), Field("truncated", "bool", ())]
    metrics = [Metric("return", lambda t: float(np.sum(t.outputs["reward"])), margin=1.0),
               Metric("length", lambda t: float(t.length), margin=1.0)]
    draft = Suite(family=family, state=Schema(state_fields), outputs=Schema(outputs), action_space=space,
                  metrics=metrics, variants=variants,
                  tiers={"quick": Tier(max_steps=limit)})
    cal = _calibration(ref_cls, port_cls, draft, port_dtype, None if exact else SYNC_EVERY)

    def tolerant(f: Field, key: str) -> Field:
        if f.np_dtype.kind != "f" or exact:
            return Field(f.name, f.dtype, f.shape, EXACT, f.doc, cast=not exact)
        return Field(f.name, f.dtype, f.shape, cal.tolerance(key, "L1"), f.doc, cast=True,
                     tolerances={"L2": cal.tolerance(key, "sync"), "L3": cal.tolerance(key, "sync")})

    state_schema = Schema(tolerant(f, "state." + f.name) for f in state_fields)
    output_schema = Schema(tolerant(f, f.name) for f in outputs)
    stat_n = [m["n_needed"] for m in cal.margins.get("random", {}).values()]
    quick_n = needed(max(stat_n, default=None), 100, 1000)
    tiers = {
        "quick": Tier(l1_examples=100, lockstep_episodes=20, stat_episodes=quick_n, max_steps=limit),
        "standard": Tier(l1_examples=400, lockstep_episodes=100, stat_episodes=max(quick_n, 500),
                         max_steps=limit),
        "deep": Tier(l1_examples=2000, lockstep_episodes=1000, stat_episodes=max(quick_n, 2000),
                     max_steps=limit),
    }
    calibrated = [Metric(m.name, m.extract, cal.margin("random", m.name)["margin"],
                         doc=f"{m.name} per episode; margin a third of the reference's sd "
                             f"({cal.margin('random', m.name)['sd']:.4g}); {cal.source()}")
                  for m in metrics]
    thresholds = [] if exact else [Threshold("terminated", _flip_probe(ref_cls, variants["default"],
                                                                       state_schema), within=1.0,
                                             doc="probed: the reference flips it within tolerance")]
    return Suite(
        family=family, state=state_schema, outputs=output_schema, action_space=space,
        properties=_properties(limit), metrics=calibrated, variants=variants, tiers=tiers,
        sync_every=None if exact else SYNC_EVERY, thresholds=thresholds, coverage=_coverage(space),
        traces=_traces(space, limit), doc=__doc__ + f"\n\nTolerances and margins: {cal.source()}.")


def _coverage(space) -> Coverage:
    """Each action (discrete) or bound (continuous) taken, and each way an episode ends."""
    if isinstance(space, Discrete):
        actions = [f"action:{a}" for a in range(space.n)]

        def which(action):
            return [f"action:{int(np.asarray(action).reshape(-1)[0])}"]
    else:
        actions = ["action:at low bound", "action:at high bound", "action:inside"]
        low, high = space.bounds()

        def which(action):
            a = np.asarray(action, np.float64).reshape(low.shape)
            return [k for k, hit in (("action:at low bound", np.any(a <= low)),
                                     ("action:at high bound", np.any(a >= high)),
                                     ("action:inside", np.any((a > low) & (a < high)))) if hit]

    def hit(before, action, outputs, after, variant):
        ends = [k for k in ("terminated", "truncated") if bool(outputs[k])]
        return which(action) + [f"end:{k}" for k in ends]
    return Coverage(hit, lambda variant: actions + ["end:terminated", "end:truncated"],
                    "actions taken and the ways an episode ended")


def calibration_path(ref_cls, port_dtype) -> Path:
    name = ref_cls.registered_name.replace(":", "_").replace("/", "_")
    return cache_dir() / f"{name}__port_{np.dtype(port_dtype)}.json"


def _calibration(ref_cls, port_cls, draft: Suite, port_dtype, sync_every):
    """The cached calibration for this reference and port precision, measured on first use."""
    from equiv._side import Side
    path = calibration_path(ref_cls, port_dtype)
    if path.exists():
        cal = load(path)
        if cal.sync_every == sync_every:  # the user's own `equiv calibrate` run is kept
            return cal
    side = Side(ref_cls(**draft.variants["default"].get("reference", {})), draft, "reference",
                ref_cls.registered_name)
    cal = measure(side, draft, "default", port_dtype, episodes=CALIBRATION_EPISODES, sync_every=sync_every)
    cal.save(path)
    return cal


def _flip_probe(ref_cls, variant: dict, schema: Schema):
    """margin(before, action, outputs, after): the smallest perturbation of ``before``, in units of
    the state's tolerance, under which the reference flips ``terminated``; inf when none does."""
    probe = {}
    tol = schema.fields["state"].tolerance

    def margin(before, action, outputs, after):
        if before is None:
            return None
        if "ref" not in probe:
            probe["ref"] = ref_cls(**variant.get("reference", {}))
        ref = probe["ref"]
        flag = bool(outputs["terminated"])
        x = np.asarray(before["state"], np.float64)
        scale = tol.atol + tol.rtol * np.abs(x)
        rng = np.random.default_rng(0)
        directions = [np.eye(x.size)[i] * s for i in range(x.size) for s in (1, -1)]
        directions += list(rng.choice([-1.0, 1.0], size=(8, x.size)))
        for size in (0.125, 0.5, 1.0):
            for d in directions:
                ref.set_state({**before, "state": x + size * d * scale})
                if bool(ref.step(action).terminated) != flag:
                    return size
        return float("inf")
    return margin


def _played(warmup_max: int, perturb: bool, at_limit: bool, limit: int):
    from hypothesis import strategies as st

    def cases(ref, variant):
        space = action_space_of(ref)
        scale = st.floats(-0.1, 0.1) if perturb else st.just(0.0)

        @st.composite
        def case(draw):
            seed = draw(st.integers(0, 2**31 - 1))
            warmup = draw(st.integers(0, warmup_max))
            rng = np.random.default_rng([seed, 7])
            ref.reset(seed)
            state = ref.get_state()
            for _ in range(warmup):  # stop in the last live state: never step on from an ended episode
                s = ref.step(space.sample(rng))
                if s.terminated or s.truncated:
                    break
                state = ref.get_state()
            state = {k: np.array(v) for k, v in state.items()}
            if perturb:  # off the trajectory, but reached by a step and still live
                moved = {**state, "state": state["state"] * (1 + np.asarray([draw(scale) for _ in state["state"]]))}
                ref.set_state(moved)
                s = ref.step(space.sample(rng))
                if not (s.terminated or s.truncated):
                    state = {k: np.array(v) for k, v in ref.get_state().items()}
            if at_limit:
                state["elapsed"] = np.int64(limit - 1)
            return Case(state, draw(space.strategy()))
        return case()
    return cases


def _properties(limit: int) -> list:
    return [
        Property("played", _played(min(limit, 200), False, False, limit),
                 "states the reference reaches by random play, any action"),
        Property("perturbed", _played(min(limit, 200), True, False, limit),
                 "played states with each element moved by up to 10 %, then stepped once by the reference "
                 "(so the start is one the dynamics reach, and live)"),
        Property("time_limit", _played(min(limit, 200), False, True, limit),
                 "played states one step before the time limit: truncation is decided"),
    ]


def _traces(space, limit: int) -> list:
    if isinstance(space, Discrete):
        fixed = {f"always_{a}": [a] * limit for a in range(space.n)}
        fixed["alternating"] = [i % space.n for i in range(limit)]
        rng = np.random.default_rng(2024)
        fixed["scripted_random"] = [int(x) for x in rng.integers(0, space.n, limit)]
    else:
        lo, hi = np.broadcast_to(space.low, space.shape), np.broadcast_to(space.high, space.shape)
        mid = (lo + hi) / 2
        fixed = {"always_low": [lo] * limit, "always_high": [hi] * limit, "always_middle": [mid] * limit}
        t = np.arange(limit)[:, None]
        fixed["sine"] = list(mid + (hi - mid) * np.sin(t / 7.0).reshape((limit,) + (1,) * len(space.shape)))
        rng = np.random.default_rng(2024)
        fixed["scripted_random"] = list(rng.uniform(lo, hi, (limit,) + tuple(space.shape)))
    traces = []
    for name, acts in fixed.items():
        acts = [a if isinstance(a, int) else np.asarray(a, np.float32).reshape(space.shape) for a in acts]
        for seed in TRACE_SEEDS:
            traces.append(Trace(name=f"{name}[seed {seed}]", path=Path(f"<generated:{name}>"), seed=seed,
                                actions=acts, doc=f"generated: {name}", stop_at_end=True))
    return traces

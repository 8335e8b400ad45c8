"""A family's suite: everything equiv needs to check any pair of that family.

A suite lives in ``suites/<family>/__init__.py`` and exposes ``SUITE = Suite(...)``
(third-party families register one through the ``equiv.suites`` entry-point group).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from equiv._schema import Schema


@dataclass(frozen=True)
class Case:
    """One L1 input: a canonical state to inject and an action to take from it."""

    state: dict
    action: Any
    note: str = ""


@dataclass(frozen=True)
class Property:
    """An L1 transition property: a Hypothesis strategy of :class:`Case`.

    ``cases(reference, variant)`` builds the strategy; it may use the reference
    adapter (to reach states by play, say). ``variants`` limits the property to
    some variants, ``tiers`` to some tiers (None: all): an exhaustive sweep can be
    kept for the standard and deep tiers.
    """

    name: str
    cases: Callable[[Any, str], Any]
    doc: str = ""
    variants: tuple | None = None
    tiers: tuple | None = None


@dataclass(frozen=True)
class Policy:
    """A named action-choosing rule: ``choose(obs, legal, rng) -> action``.

    The name lets a fast backend recognise a policy it implements natively.
    ``for_config(variant_config) -> choose`` gives a rule per variant where the action
    form depends on it (a continuous mode, say); ``Suite.policy`` resolves it.
    """

    name: str
    choose: Callable
    doc: str = ""
    for_config: Callable | None = None

    def __call__(self, obs, legal, rng):
        return self.choose(obs, legal, rng)


@dataclass(frozen=True)
class Metric:
    """A per-episode number compared statistically between the sides.

    ``extract(trajectory) -> float``. ``kind`` is ``continuous`` (TOST + KS) or
    ``categorical`` (TOST on the mean + chi-square). ``margin`` is the declared
    equivalence margin on the difference of means (absolute, in the metric's
    unit); say why in ``doc``. ``policies`` limits the metric to some policies.
    """

    name: str
    extract: Callable
    margin: float
    kind: str = "continuous"
    doc: str = ""
    policies: tuple | None = None
    needs_states: bool = False


@dataclass(frozen=True)
class Threshold:
    """A boolean output decided by a continuous quantity crossing a threshold.

    ``margin(before, action, outputs, after) -> float | None``: how far the deciding quantity
    lay from its threshold in the reference's transition (``before``/``after`` are canonical
    states, ``outputs`` the reference's output record), in the quantity's own unit. When the
    two sides disagree on ``field`` and ``margin <= within`` (the quantity's tolerance), the
    disagreement is *borderline*: reported with the margin, not as a divergence. A float32
    port of a float64 reference disagrees on ``theta > 0.2094`` inside a window of a few ulps;
    outside it, the flag must agree. ``None`` means the margin is unknown: a divergence.
    """

    field: str
    margin: Callable
    within: float
    doc: str = ""


@dataclass(frozen=True)
class Coverage:
    """What a transition exercises, counted across L1 cases, L2 steps and L3 lockstep steps.

    ``hit(before, action, outputs, after, variant) -> iterable of str``: the keys one
    reference transition covers (``before``/``after`` canonical states, ``outputs`` its
    output record). ``keys(variant) -> iterable of str | None``: every key the variant can
    reach, so the report lists keys never hit and a tier can require each of them
    (``Tier.coverage_min``); a variant for which it returns None gets no coverage item. ``keys``
    itself may be None when the universe is open: hits are reported, nothing is required.
    ``required(variant) -> iterable of str | None``: the keys the tier's minimum applies to, where
    only part of the reported universe can be demanded of a run (e.g. every move is reported, the
    edges are required); None (or no ``required``): all of ``keys``.
    """

    hit: Callable
    keys: Callable | None = None
    doc: str = ""
    required: Callable | None = None


@dataclass(frozen=True)
class Tier:
    """How hard to look at each tier."""

    l1_examples: int = 50
    lockstep_episodes: int = 5
    stat_episodes: int = 30
    max_steps: int = 10_000
    variants: tuple | None = None  # None: every variant
    policies: tuple | None = None  # None: every policy
    l3_variants: tuple | None = None  # rollouts only on these variants (None: all of the tier's)
    coverage_min: int = 0  # each coverage key must be hit at least this often (0: report only)
    call_timeout: float = 600.0  # seconds any one adapter call may take before it counts as hung


DEFAULT_TIERS = {
    "quick": Tier(l1_examples=40, lockstep_episodes=5, stat_episodes=30),
    "standard": Tier(l1_examples=200, lockstep_episodes=100, stat_episodes=200, call_timeout=1800.0),
    "deep": Tier(l1_examples=2000, lockstep_episodes=1000, stat_episodes=1000, call_timeout=7200.0),
}


@dataclass
class Suite:
    """Everything family-specific: schemas, generators, traces, metrics, margins, ledger."""

    family: str
    state: Schema
    outputs: Schema
    action_space: Any  # a space, or ``(variant_config) -> space`` where variants differ
    properties: list = field(default_factory=list)
    policies: dict = field(default_factory=dict)
    metrics: list = field(default_factory=list)
    variants: dict = field(default_factory=lambda: {"default": {}})
    tiers: dict = field(default_factory=lambda: dict(DEFAULT_TIERS))
    root: Path | None = None  # the suite's folder: traces/ and ledger.yaml live there
    roundtrip_steps: int = 3  # steps compared after set_state(get_state(s))
    # How many distinct reset seeds the family supports (0..seed_space-1); None: any 31-bit seed.
    # A port that can only start from prepared states (a team bank, say) declares its range here.
    seed_space: int | None = None
    # explain(ref_adapter, port_adapter, start, actions) -> str | None: extra evidence for a
    # divergence (a draw-tape diff, an instruction trace); start is a seed or a state, and
    # actions end with the diverging step's action.
    explain: Callable | None = None
    bench: Callable | None = None  # bench(reference_cls, ported_cls, args) prints a side-by-side table
    # Chaotic or reduced-precision pairs: L2 and L3 lockstep re-synchronise the port to the
    # reference's state every ``sync_every`` steps and compare each k-step segment (teacher
    # forcing); None compares whole episodes free-running, as exact pairs do.
    sync_every: int | None = None
    # A teacher-forced segment over its tolerance gets a second look against the reference's own
    # sensitivity there: the reference replayed over the segment from its start state moved one ulp
    # (of ``sensitivity_precision[variant]``, e.g. "float32" for a float32 port; default the state's
    # own dtype). Float fields whose largest error over the segment is within ``sensitivity`` times
    # the reference's own are not held against the port; everything else is compared as before.
    # The report counts these segments. None: no second look.
    sensitivity: float | None = None
    sensitivity_precision: dict = field(default_factory=dict)
    # A second implementation as a witness in the second look: ``witness(reference_name, variant)``
    # gives ``(adapter name, its settings)`` or None. The witness replays the segment from the same
    # start; its own deviation from the reference there (a float32 implementation of the same
    # physics, say: the rounding of a whole float32 computation, not only of its input) counts as
    # noise beside the one-ulp runs. Built once per variant, only when a segment needs it.
    witness: Callable | None = None
    thresholds: list = field(default_factory=list)  # Threshold: flags decided by a continuous quantity
    coverage: Coverage | None = None
    traces: list = field(default_factory=list)  # Trace objects made in code, beside traces/*.yaml
    doc: str = ""

    def threshold(self, field_name: str) -> Threshold | None:
        """The threshold declared for an output field (``state.`` fields by their full name)."""
        return next((t for t in self.thresholds if t.field == field_name), None)

    @property
    def traces_dir(self) -> Path | None:
        return None if self.root is None else Path(self.root) / "traces"

    @property
    def ledger_path(self) -> Path | None:
        return None if self.root is None else Path(self.root) / "ledger.yaml"

    def space_for(self, variant: str | None = None):
        """The action space of a variant (any variant when every one has the same space)."""
        space = self.action_space
        if not callable(space):
            return space
        if variant is None:
            raise ValueError(f"the {self.family!r} suite's action space depends on the variant; name one")
        return space(self.variants[variant])

    def uniform_random(self, variant: str | None = None) -> Policy:
        space = self.space_for(variant)
        return Policy("random", lambda obs, legal, rng: space.sample(rng, legal), "uniform over legal actions")

    def policy(self, name: str, variant: str | None = None) -> Policy:
        """The named policy, resolved for the variant (as written, when no variant is named)."""
        if name == "random" and "random" not in self.policies:
            return self.uniform_random(variant)
        try:
            base = self.policies[name]
        except KeyError:
            raise KeyError(f"family {self.family!r} has no policy {name!r}; "
                           f"it has {sorted(set(self.policies) | {'random'})}") from None
        if base.for_config is None or variant is None:
            return base
        return Policy(base.name, base.for_config(self.variants[variant]), base.doc)

    def policy_names(self) -> list[str]:
        return ["random"] + [n for n in self.policies if n != "random"]

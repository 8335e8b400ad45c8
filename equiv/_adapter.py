"""The adapter contract: what an implementation provides to be checked.

An adapter wraps one implementation of one family (a reference or a port) behind
a small stateful interface. The framework only ever talks to adapters, and only
in the family's canonical terms: states are ``dict[str, ndarray]`` matching the
suite's state schema, step outputs match the suite's output schema.

Subclass :class:`Adapter` and implement the abstract methods. ``replay`` and
``rollouts`` have plain-loop defaults; a fast backend overrides them (``lax.scan``
over a batch, say) without changing their meaning.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

State = dict  # dict[str, np.ndarray], described by the family's state schema


@dataclass
class Step:
    """What one transition returns. ``obs`` may be an array or a dict of arrays."""

    obs: Any
    reward: Any
    terminated: bool
    truncated: bool = False
    info: dict = field(default_factory=dict)

    def outputs(self, legal: np.ndarray | None = None) -> dict:
        """The flat output record compared against the suite's output schema."""
        out = {"reward": np.asarray(self.reward), "terminated": np.asarray(bool(self.terminated)),
               "truncated": np.asarray(bool(self.truncated))}
        if isinstance(self.obs, Mapping):
            out.update({f"obs.{k}": np.asarray(v) for k, v in self.obs.items()})
        else:
            out["obs"] = np.asarray(self.obs)
        if legal is not None:
            out["legal"] = np.asarray(legal, bool)
        return out


@dataclass
class Trajectory:
    """One episode (or a prefix of one): stacked per-step records.

    ``outputs[name]`` has shape (T, ...) and holds the output record after each
    step; ``states[name]`` likewise holds the canonical state after each step
    (``None`` when not recorded). ``actions`` has shape (T, ...).
    ``interrupted`` says why a recording stopped early (an adapter error, say).
    """

    seed: int | None
    actions: np.ndarray
    outputs: dict
    states: dict | None = None
    interrupted: str | None = None

    @property
    def length(self) -> int:
        return int(len(self.actions))


class Adapter(abc.ABC):
    """One implementation of one family, seen through its canonical state.

    Class attributes every adapter sets:

    - ``family``: the family name; its suite lives in ``suites/<family>/``.
    - ``randomness``: the name of the generator its resets (and any random draws in a
      step) use (``"glibc-rand"``, ``"showdown-prng"``, ``"numpy-pcg64"``...). Two sides
      naming the same generator reproduce each other's draws exactly: the same seed gives
      the same start and the same episode. ``None``: a generator of its own.
    - ``deterministic_step``: True when ``step`` draws no random numbers: the next state and
      the outputs are a function of the canonical state and the action alone (physics,
      classic control). Then a pair can be compared from injected states even when the two
      resets draw from different generators: L1 injects the same state into both, L2 and L3
      lockstep start the port from the reference's state (state-synced). A step that draws
      from a generator, even one held in the state, needs ``randomness`` to match instead.

    The instance is built with the variant's configuration as keyword arguments
    (frameskip, battle format...). An adapter that cannot honour a setting raises
    ``ValueError`` naming it.
    """

    family: ClassVar[str]
    randomness: ClassVar[str | None] = None
    deterministic_step: ClassVar[bool] = False
    role: ClassVar[str] = "ported"  # what it is meant as: "reference" or "ported" (informational)
    requires: ClassVar[tuple] = ()  # importable modules it needs, checked by `missing()`
    # Policies (by name) that ``rollouts`` runs natively (in JAX, in C...); any other policy
    # goes through the plain Python loop. Shown by ``equiv list`` and in the report.
    native_policies: ClassVar[tuple] = ()

    @classmethod
    def missing(cls) -> str | None:
        """None when usable; otherwise what is missing and the command that fixes it.

        Each module in ``requires`` is imported, so a module that is there but broken (a wheel
        built for another Python, a missing shared library) shows its real error. Adapters with
        build products (a compiled binding, node_modules) extend this."""
        import importlib
        problems = []
        for module in cls.requires:
            try:
                importlib.import_module(module)
            except Exception as e:  # noqa: BLE001 - any import failure makes the adapter unusable
                problems.append(f"{module} ({type(e).__name__}: {e})")
        if problems:
            return (f"cannot import {', '.join(problems)}; install what it needs (pip install ...), or in "
                    f"an equiv checkout run ./dev.sh setup")
        return None

    def __init__(self, **config):
        self.config = dict(config)

    @classmethod
    def default_suite(cls, ported_cls) -> "Suite | None":  # noqa: F821
        """A suite generated for a family that has none registered (the zero-code ``gym:`` and
        ``gymnax:`` references make one from the environment); None: a suite must be registered."""
        return None

    # --- required -------------------------------------------------------
    @abc.abstractmethod
    def reset(self, seed: int) -> Any:
        """Start a new episode from ``seed``; return the first observation."""

    @abc.abstractmethod
    def step(self, action) -> Step:
        """One transition. ``action`` is an int, a float array, or for several
        players an int array with one action per player (a joint action)."""

    @abc.abstractmethod
    def get_state(self) -> State:
        """The full canonical state: enough to continue the episode exactly."""

    @abc.abstractmethod
    def set_state(self, state: State) -> None:
        """Inject a canonical state; afterwards the env continues from it exactly."""

    @abc.abstractmethod
    def provenance(self) -> dict:
        """``{"name", "version", "hash", ...}``: what pins this side's behaviour
        (lock file, ROM, model file, numerics flags), for the report."""

    # --- optional capabilities, with their defaults -----------------------------
    @classmethod
    def throughput(cls, config: dict, batch: int, seconds: float) -> dict:
        """Its own speed: ``{"steps_per_s": float, "compile_s": float | None, ...}`` for ``batch``
        environments stepped together with random actions for about ``seconds``. A family's
        benchmark calls it on the classes it is given; the default says it is not measured."""
        raise NotImplementedError(f"{cls.__name__} does not measure its own throughput "
                                  f"(equiv.Adapter.throughput)")

    def draw_tape(self, start, actions) -> list | None:
        """The random draws (bounds and values, in order) made while playing ``actions`` from
        ``start`` (a seed or a state), for a suite's ``explain``; None: it does not record them."""
        return None

    def replay_tape(self, start, actions, tape, record_states: bool = True) -> Trajectory:
        """Play ``actions`` from ``start`` drawing from ``tape`` (another side's ``draw_tape``) instead
        of its own generator, checking each draw's bounds; raises ``AdapterError`` at the first draw
        that disagrees. With ``draw_tape`` it turns a divergence into the first differing random draw."""
        raise NotImplementedError(f"{type(self).__name__} cannot replay a draw tape (equiv.Adapter.replay_tape)")

    def legal_actions(self) -> np.ndarray | None:
        """Boolean mask of legal actions (shape (n,) or (players, n)); None if every action is legal."""
        return None

    def close(self) -> None:
        """Release processes and files."""

    def replay(self, start: int | State, actions: Sequence, record_states: bool = True) -> Trajectory:
        """Play ``actions`` from a seed (reset) or an injected state; record every step.

        Stops after a terminal step. Fast backends override this with one batched call.
        """
        if isinstance(start, Mapping):
            self.set_state(start)
            seed = None
        else:
            self.reset(int(start))
            seed = int(start)
        rec = _Recorder(seed, record_states)
        for a in actions:
            s = self.step(a)
            rec.add(a, s.outputs(self.legal_actions()), self.get_state() if record_states else None)
            if s.terminated or s.truncated:
                break
        return rec.finish()

    def replays(self, starts: Sequence, actions: Sequence, record_states: bool = True) -> list[Trajectory]:
        """Many replays at once (``starts[i]`` with ``actions[i]``); batched backends override this."""
        return [self.replay(s, a, record_states) for s, a in zip(starts, actions)]

    def rollouts(self, seeds: Sequence[int], policy, max_steps: int,
                 record_states: bool = False) -> list[Trajectory]:
        """Whole episodes, one per seed, with actions chosen by ``policy``.

        ``policy(obs, legal, rng) -> action``; its rng is ``numpy.random.default_rng(seed)``.
        Fast backends override this for the policies they implement natively
        (see ``policy.name``) and fall back to ``super().rollouts`` otherwise.
        """
        return [self.rollout(seed, policy, max_steps, record_states) for seed in seeds]

    def rollout(self, seed: int, policy, max_steps: int, record_states: bool = False) -> Trajectory:
        obs = self.reset(int(seed))
        rng = np.random.default_rng([int(seed), 0x5EED])
        rec = _Recorder(int(seed), record_states)
        for _ in range(max_steps):
            legal = self.legal_actions()
            a = policy(obs, legal, rng)
            s = self.step(a)
            rec.add(a, s.outputs(self.legal_actions()), self.get_state() if record_states else None)
            obs = s.obs
            if s.terminated or s.truncated:
                break
        return rec.finish()


class _Recorder:
    def __init__(self, seed, record_states):
        self.seed, self.record_states = seed, record_states
        self.actions, self.outputs, self.states = [], [], []

    def add(self, action, outputs, state):
        self.actions.append(np.asarray(action))
        self.outputs.append(outputs)
        if self.record_states:
            self.states.append(state)

    def finish(self) -> Trajectory:
        return Trajectory(self.seed, np.asarray(self.actions), stack(self.outputs),
                          stack(self.states) if self.record_states else None)


def stack(records: list[dict]) -> dict:
    """List of per-step dicts -> dict of (T, ...) arrays."""
    if not records:
        return {}
    return {k: np.stack([np.asarray(r[k]) for r in records]) for k in records[0]}

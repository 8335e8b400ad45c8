"""Adapter for ``tcgjax``, the pure-JAX port of the Pokémon TCG Pocket engine (ported_envs/tcgjax).

Same contract as ``tcg_python`` (suites/tcg/SPEC_NOTES.md, "Adapter and suite conventions"):
configuration ``deck0``/``deck1`` (sample deck names), seeds are game seeds (§5.4), actions ints
0..71, ``Step.obs = {"view": int32[416], "actor": int32}`` (player 0's view and actor -1 once the
game is over), ``Step.reward`` the int32[2] pair of §9.6, never truncated, ``legal_actions()`` the
§9.4 mask. Randomness is the spec's counter-based generator, reproduced bit for bit, and a step is a
function of (state, action) alone, so every layer runs in lockstep.

Single steps call one jitted function (next state, reward, view, actor and mask at once).
``replays`` and ``rollouts`` (policy ``random``, played natively in JAX with its own counter hash)
run whole batches in one ``vmap`` + ``lax.scan`` call per 128 decisions, with the batch padded to a
power of two so few shapes compile; other policies fall back to the plain loop.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from equiv import Adapter, AdapterError, Step, Trajectory

_ROOT = Path(__file__).resolve().parents[1]
_PORT = _ROOT / "ported_envs" / "tcgjax"


class TcgJax(Adapter):
    family = "tcg"
    role = "ported"
    randomness = "tcg-counter-prng"
    # Steps draw (coin flips, shuffles) from the state's counter PRNG, which the port reproduces
    # (randomness); deterministic_step means "draws nothing", so False, as for tcg_python.
    deterministic_step = False
    requires = ("jax",)
    rules = None  # a ported_envs.tcgjax.rules.Rules; None = the spec. Mutants (tests/tcgjax) set one field.

    def __init__(self, deck0: str = "A-Fire", deck1: str = "B-Water", **config):
        if config:
            raise ValueError(f"tcgjax does not know the settings {sorted(config)}; it takes deck0 and deck1 "
                             f"(sample deck names)")
        super().__init__(deck0=deck0, deck1=deck1)
        from ported_envs.tcgjax import cards
        from ported_envs.tcgjax.env import TcgJaxEnv
        from ported_envs.tcgjax.rules import Rules
        self.decks = (cards.deck(deck0).name, cards.deck(deck1).name)   # ValueError names an unknown deck
        self._deck_arrays = cards.deck_arrays(*self.decks)
        self.env = TcgJaxEnv(self.rules or Rules())
        self._st = None
        self._out = None

    # --- the contract ---------------------------------------------------------------------------
    def _need(self):
        if self._st is None:
            raise AdapterError("tcgjax: no game; call reset(seed) or set_state(state) first", adapter="tcgjax")

    def _obs(self) -> dict:
        return {"view": np.asarray(self._out["view"]), "actor": np.int32(self._out["actor"])}

    def reset(self, seed: int):
        self._st = self.env.reset(np.uint32(int(seed) & 0xFFFFFFFF), *self._deck_arrays)
        self._out = self.env.outputs(self._st)
        return self._obs()

    def step(self, action) -> Step:
        from ported_envs.tcgjax.state import describe_action
        self._need()
        legal = np.asarray(self._out["legal"])
        actor = int(self._out["actor"])
        try:
            a = int(action)
        except (TypeError, ValueError):
            a = -1
        if not (0 <= a < legal.size and legal[a]) or isinstance(action, bool):
            why = "the game is over" if actor < 0 else (
                f"legal now: {[describe_action(x) for x in np.flatnonzero(legal)]}")
            raise AdapterError(f"tcgjax: action {action!r} ({describe_action(action)}) is not legal for player "
                               f"{actor}; {why}", adapter="tcgjax")
        self._st, reward, self._out = self.env.step(self._st, np.int32(a))
        return Step(self._obs(), np.asarray(reward, np.int32), bool(self._out["actor"] < 0), False)

    def legal_actions(self) -> np.ndarray:
        self._need()
        return np.asarray(self._out["legal"], bool)

    def get_state(self) -> dict:
        from ported_envs.tcgjax.state import to_numpy
        self._need()
        return to_numpy(self._st)

    def set_state(self, state) -> None:
        from ported_envs.tcgjax.state import from_numpy
        self._st = from_numpy(state, "tcgjax.set_state")   # ValueError names a missing or misshapen field
        self._out = self.env.outputs(self._st)

    def provenance(self) -> dict:
        h = hashlib.sha256()
        for path in sorted(_PORT.glob("*.py")) + [_ROOT / "suites" / "tcg" / "cards.yaml",
                                                   _ROOT / "suites" / "tcg" / "decks.yaml"]:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        import jax
        out = {"name": "tcgjax", "version": "0.1 (65-card pool)", "hash": h.hexdigest()[:16],
               "jax": jax.__version__, "backend": jax.default_backend(), "decks": list(self.decks),
               "prng": "lowbias32 counter-based (spec §5), uint32"}
        if self.rules is not None:
            out["rules"] = repr(self.rules)
        return out

    # --- batched play -----------------------------------------------------------------------------
    def _trajectories(self, starts, rec, lengths, record_states) -> list:
        from ported_envs.tcgjax.state import FIELDS, describe_action
        trajs = []
        for i, start in enumerate(starts):
            limit = lengths[i]
            ended = np.flatnonzero(rec["terminated"][:limit, i])
            length = int(ended[0]) + 1 if ended.size else limit
            bad = np.flatnonzero(~rec["ok"][:length, i])
            why = None
            if bad.size:
                k = int(bad[0])
                length, why = k, (f"tcgjax: action {int(rec['actions'][k, i])} "
                                  f"({describe_action(rec['actions'][k, i])}) at step {k} is not legal in the "
                                  f"port's state")
            outputs = {"obs.view": rec["obs"][:length, i], "obs.actor": rec["actor"][:length, i],
                       "reward": rec["reward"][:length, i], "terminated": rec["terminated"][:length, i],
                       "truncated": np.zeros(length, bool), "legal": rec["legal"][:length, i]}
            states = None
            if record_states:
                states = {name: rec["states"][name][:length, i].astype(dt) for name, dt, _ in FIELDS}
            seed = None if isinstance(start, dict) else int(start)
            trajs.append(Trajectory(seed, rec["actions"][:length, i].astype(np.int64), outputs, states, why))
        return trajs

    def replays(self, starts, actions, record_states: bool = True) -> list:
        import jax.numpy as jnp
        from ported_envs.tcgjax.env import CHUNK
        starts, actions = list(starts), [np.asarray(a, np.int64).reshape(-1) for a in actions]
        if not starts:
            return []
        lengths = [len(a) for a in actions]
        longest = max(lengths)
        if longest == 0:
            return [super(TcgJax, self).replay(s, a, record_states) for s, a in zip(starts, actions)]
        batch = self.env.start_states(starts, self.decks)
        b = batch["turn"].shape[0]
        padded = np.zeros((-(-longest // CHUNK) * CHUNK, b), np.int32)
        for i, a in enumerate(actions):
            padded[:len(a), i] = np.where((a >= 0) & (a < 72), a, -1)
        rec = self.env.run_batch(batch, len(starts), None, lambda t, k: jnp.asarray(padded[t:t + k]), longest,
                                 record_states)
        return self._trajectories(starts, rec, lengths, record_states)

    def replay(self, start, actions, record_states: bool = True):
        if len(actions) == 0:
            return super().replay(start, actions, record_states)
        return self.replays([start], [actions], record_states)[0]

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list:
        from ported_envs.tcgjax.play import POLICIES, policy_keys
        seeds = [int(s) for s in seeds]
        if getattr(policy, "name", None) not in POLICIES or not seeds:
            return super().rollouts(seeds, policy, max_steps, record_states)
        batch = self.env.start_states(seeds, self.decks)
        b = batch["turn"].shape[0]
        keyed = np.array(seeds + [seeds[0]] * (b - len(seeds)), np.uint32)
        rec = self.env.run_batch(batch, len(seeds), policy.name, lambda t, k: policy_keys(keyed, t, k),
                                 int(max_steps), record_states)
        return self._trajectories(seeds, rec, [int(max_steps)] * len(seeds), record_states)

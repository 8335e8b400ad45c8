"""pokejax (JAX gen-1 singles engine, ported_envs/pokejax) as the pokemon family's port.

Same contract as ``ts_showdown``: ``step(np.array([a_p1, a_p2]))`` over the action slots of
``suites.pokemon.schema.ACTIONS``, legal mask (2, 14), observation ``schema.observation`` (computed
in JAX from the same layout), reward +1/-1/0 for p1 at the end, canonical state in and out.
Randomness is Showdown's own PRNG (sodium ChaCha20 by default), drawn at the same points, so
lockstep comparison against ``ts_showdown`` is possible. ``reset(seed)`` runs in JAX: both teams
from Showdown's gen-1 random-battle generator (ported draw for draw), then the battle start.
Set ``debug=True`` to record each step's draw tape as ``Step.info["tape"]`` ([lo, hi, value] rows).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from equiv import Adapter, AdapterError, Step, Trajectory

_ROOT = Path(__file__).resolve().parents[1]
# the volatiles the engine implements (the rest belong to moves it does not implement yet)
MODELLED_VOLATILES = ("confusion", "flinch", "mustrecharge", "twoturnmove", "reflect", "lightscreen",
                      "focusenergy", "substitute", "mist", "leechseed", "residualdmg", "minimize", "defensecurl",
                      "invulnerability", "rage", "disable", "lockedmove", "partiallytrapped",
                      "fakepartiallytrapped", "partialtrappinglock", "bide")


def check_layout() -> None:
    """The port keeps its own copy of the state layout (ported_envs/pokejax/layout.py); it must
    agree with the family contract (suites/pokemon/schema.py) field for field."""
    from ported_envs.pokejax import layout
    from suites.pokemon import schema
    bad = layout.mismatches([(f.name, f.np_dtype, f.shape) for f in schema.STATE], schema.STATUSES,
                            schema.VOLATILES, schema.ACTIONS, schema.OBS_LAYOUT)
    if bad:
        raise AdapterError("pokejax: its state layout (ported_envs/pokejax/layout.py) disagrees with the "
                           "pokemon contract (suites/pokemon/schema.py); update one to match the other: "
                           + "; ".join(bad), adapter="pokejax")


class PokeJax(Adapter):
    family = "pokemon"
    randomness = "showdown-prng"
    role = "ported"
    requires = ("jax",)

    def __init__(self, format: str = "gen1customgame", max_turns: int = 1000, prng: str = "sodium",
                 debug: bool = False, teams: str = "randombattle", **config):
        super().__init__(format=format, max_turns=max_turns, prng=prng, debug=debug, teams=teams, **config)
        if config:
            raise ValueError(f"pokejax does not know the settings {sorted(config)}; it takes format, "
                             f"max_turns, prng, debug and teams (a variant gives one side alone its settings "
                             f"under 'reference' or 'ported')")
        if teams not in ("randombattle", "wholegame"):
            raise ValueError(f"pokejax: teams={teams!r} is not a team source; use 'randombattle' (Showdown's "
                             f"generator, in JAX) or 'wholegame' (suites/pokemon/wholegame.py)")
        self.teams = teams
        check_layout()
        from ported_envs.pokejax.env import PokeJaxEnv
        self.env = PokeJaxEnv(format, prng, debug=bool(debug))
        self.max_turns = int(max_turns)
        self._st = None

    @classmethod
    def missing(cls) -> str | None:
        base = super().missing()
        if base:
            return base
        from suites.pokemon import schema
        if not schema.data_path().is_file():
            return f"the gen-1 data file {schema.data_path()} is missing; run ./dev.sh setup"
        return None

    def _need(self):
        if self._st is None:
            raise AdapterError("pokejax: no battle; call reset(seed) or set_state(state) first", adapter="pokejax")

    def _obs(self):
        from ported_envs.pokejax.env import observation
        return np.asarray(observation(self._st))

    def reset(self, seed: int):
        if self.teams == "wholegame":
            from suites.pokemon import wholegame
            return self.start(seed, wholegame.teams(int(seed)))
        self._st = self.env.initial_state(int(seed))
        return self._obs()

    def start(self, seed: int, teams: list):
        """A battle between the given teams (two lists of Showdown sets), seeded as reset(seed):
        converted to the port's arrays and started in JAX (``PokeJaxEnv.custom_start``)."""
        from ported_envs.pokejax.start import teams_as_arrays
        try:
            p1, p2 = teams_as_arrays(teams, self.env.data)
            self._st = self.env.custom_start(p1, p2, int(seed))
        except ValueError as e:
            raise AdapterError(str(e), adapter="pokejax") from e
        return self._obs()

    def step(self, action) -> Step:
        self._need()
        a = np.asarray(action, np.int32).reshape(2)
        mask = np.asarray(self.env.legal(self._st))
        for s in (0, 1):
            if not mask[s, a[s]]:
                from suites.pokemon import schema
                legal = [schema.ACTIONS[k] for k in np.flatnonzero(mask[s])]
                raise AdapterError(f"pokejax: p{s + 1} action {a[s]} ({schema.ACTIONS[a[s]]}) is not legal now; "
                                   f"legal: {legal}", adapter="pokejax")
        self._st, ((tape, n), overflow) = self._unpack(self.env.step(self._st, a))
        info = {}
        if tape is not None:
            info["tape"] = np.asarray(tape)[: int(n)].tolist()
        if bool(overflow):
            raise AdapterError("pokejax: a step needed more PRNG draws than engine.DRAWS_PER_STEP; raise it",
                               adapter="pokejax")
        from ported_envs.pokejax.env import reward
        ended = bool(self._st["ended"])
        truncated = (not ended) and int(self._st["turn"]) >= self.max_turns
        return Step(self._obs(), np.float32(reward(self._st)), ended, truncated, info)

    @staticmethod
    def _unpack(out):
        st, (tape, over) = out
        return st, ((None, 0) if tape is None else tape, over)

    def legal_actions(self):
        self._need()
        return np.asarray(self.env.legal(self._st), bool)

    def get_state(self) -> dict:
        self._need()
        from ported_envs.pokejax.env import to_numpy
        return to_numpy(self._st)

    def set_state(self, state: dict) -> None:
        from ported_envs.pokejax.env import to_jnp
        from suites.pokemon import schema
        state = schema.STATE.coerce(state, "pokejax.set_state input")
        off = sorted({schema.VOLATILES[v] for v in np.flatnonzero(np.asarray(state["volatiles"]).any(axis=0))}
                     - set(MODELLED_VOLATILES))
        if off:
            raise AdapterError(f"pokejax: the state has the volatiles {off}, which belong to moves pokejax does "
                               f"not implement yet (it models "
                               f"{list(MODELLED_VOLATILES)}); see ported_envs/pokejax/README.md, scope",
                               adapter="pokejax")
        # Showdown keeps one object for a move slot and its base slot unless Transform or Mimic
        # replaced it (its state loader links them the same way: same id, not virtual), so such a
        # slot cannot carry two disabled flags
        linked = (~state["move_virtual"] & (state["move_id"] > 0) & (state["move_id"] == state["base_move_id"]))
        split = linked & (state["move_disabled"] != state["base_move_disabled"])
        if split.any():
            where = [tuple(int(x) for x in w) for w in np.argwhere(split)]
            raise AdapterError(f"pokejax: move slots (side, member, slot) {where} are their base slots (same move, "
                               f"not virtual) but move_disabled and base_move_disabled differ; Showdown cannot "
                               f"hold that: give both the same flag", adapter="pokejax")
        self._st = to_jnp(state)

    # --- batched paths: vmap over battles, lax.scan over steps (one compile per batch bucket) ---
    def _player(self, policy: str | None, record_states: bool):
        from ported_envs.pokejax.env import make_play
        key = (policy, bool(record_states))
        cache = self.__dict__.setdefault("_players", {})
        if key not in cache:
            cache[key] = make_play(self.env.step_batch, self.max_turns, bool(record_states), policy)
        return cache[key]

    def _starts(self, starts) -> list:
        """Start states: given states as they are, seeds through the batched reset in JAX (padded
        to a power of two, so a few compiled shapes serve every count)."""
        import jax
        from ported_envs.pokejax.env import bucket, to_jnp
        from suites.pokemon import schema
        seeds = sorted({int(s) for s in starts if not isinstance(s, dict)})
        made = {}
        if seeds and self.teams == "wholegame":
            held = self._st
            for seed in seeds:
                self.reset(seed)
                made[seed] = self._st
            self._st, seeds = held, []
        if seeds:
            batch = self.env.initial_states(seeds + [seeds[0]] * (bucket(len(seeds)) - len(seeds)))
            made = {s: jax.tree.map(lambda x, i=i: x[i], batch) for i, s in enumerate(seeds)}
        return [to_jnp(schema.STATE.coerce(s, "pokejax.replays start state")) if isinstance(s, dict)
                else made[int(s)] for s in starts]

    def _run(self, starts, xs_fn, policy, n_steps, record_states):
        """Play ``n_steps`` (in CHUNK-long scans) from ``starts``; returns numpy records (T, B, ...)."""
        from ported_envs.pokejax.env import bucket, play_chunks, stack_states
        n = len(starts)
        st = stack_states(starts + [starts[0]] * (bucket(n) - n))
        return play_chunks(self._player(policy, record_states), st, xs_fn, n_steps, n)

    def _trajectories(self, seeds, rec, n, record_states, limits):
        from suites.pokemon import schema
        trajs = []
        for i in range(n):
            stop = np.flatnonzero(rec["terminated"][:, i] | rec["truncated"][:, i])
            length = min(int(stop[0]) + 1 if stop.size else len(rec["ok"]), limits[i])
            bad = np.flatnonzero(~rec["ok"][:length, i])
            over = np.flatnonzero(rec["overflow"][:length, i])
            why = None
            if bad.size:
                length, why = int(bad[0]), f"pokejax: action at step {int(bad[0])} is not legal in the port's state"
            if over.size and (why is None or over[0] < length):
                length = int(over[0])
                why = "pokejax: a step needed more PRNG draws than engine.DRAWS_PER_STEP; raise it"
            outputs = {k: rec[k][:length, i] for k in ("obs", "reward", "terminated", "truncated", "legal")}
            states = None
            if record_states:
                states = {f.name: rec["states"][f.name][:length, i].astype(f.np_dtype) for f in schema.STATE}
            trajs.append(Trajectory(seeds[i], rec["actions"][:length, i].astype(np.int64), outputs, states, why))
        return trajs

    def replays(self, starts, actions, record_states: bool = True) -> list:
        from ported_envs.pokejax.env import CHUNK
        starts, actions = list(starts), [np.asarray(a, np.int32).reshape(-1, 2) for a in actions]
        if not starts:
            return []
        n, longest = len(starts), max((len(a) for a in actions), default=0)
        if longest == 0:
            return [self.replay(s, a, record_states) for s, a in zip(starts, actions)]
        padded = np.full((-(-longest // CHUNK) * CHUNK, max(n, 1), 2), 13, np.int32)  # 13 = wait
        for i, a in enumerate(actions):
            padded[:len(a), i] = a

        def xs(t, b):
            out = np.full((CHUNK, b, 2), 13, np.int32)
            out[:, :n] = padded[t:t + CHUNK]
            return out

        rec = self._run(self._starts(starts), xs, None, longest, record_states)
        seeds = [None if isinstance(s, dict) else int(s) for s in starts]
        return self._trajectories(seeds, rec, n, record_states, [len(a) for a in actions])

    def replay(self, start, actions, record_states: bool = True):
        if len(actions) == 0:
            return super().replay(start, actions, record_states)
        return self.replays([start], [actions], record_states)[0]

    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list:
        from ported_envs.pokejax.env import CHUNK, POLICIES
        name = getattr(policy, "name", None)
        seeds = [int(s) for s in seeds]
        if name not in POLICIES or not seeds:
            return super().rollouts(seeds, policy, max_steps, record_states)
        import jax

        def xs(t, b):
            if name == "first":
                return np.zeros((CHUNK, b, 2), np.int32)
            keys = [jax.random.fold_in(jax.random.PRNGKey(s), t // CHUNK) for s in seeds]
            keys += [keys[0]] * (b - len(keys))
            return np.stack([np.asarray(jax.random.split(k, CHUNK)) for k in keys], 1)

        rec = self._run(self._starts(seeds), xs, name, int(max_steps), record_states)
        return self._trajectories(seeds, rec, len(seeds), record_states, [int(max_steps)] * len(seeds))

    @staticmethod
    def batch_rate(format: str, batch: int, steps: int = 64) -> dict:
        """Random-play steps/s of ``batch`` battles in one compiled scan (ported_envs/pokejax/bench.py)."""
        from ported_envs.pokejax.bench import batch_rate
        return batch_rate(format, batch, steps)

    def draw_tape(self, start, actions) -> list:
        """Play ``actions`` from a seed or a state with the draw tape on: per step
        ``{"draws": [[lo, hi, value], ...], "seed_after": "sodium,<key hex>"}``, the form
        ``ts_showdown.replay_tape`` checks draw by draw (suites/pokemon ``explain``)."""
        from ported_envs.pokejax.prng import format_seed
        rec = PokeJax(format=self.config["format"], max_turns=self.max_turns, prng=self.config["prng"], debug=True,
                      teams=self.teams)
        if isinstance(start, dict):
            rec.set_state(start)
        else:
            rec.reset(int(start))
        tape = []
        for a in actions:
            out = rec.step(a)
            tape.append({"draws": out.info["tape"], "seed_after": format_seed(rec.env.kind, rec._st["prng"])})
            if out.terminated or out.truncated:
                break
        return tape

    def provenance(self) -> dict:
        h = hashlib.sha256()
        for p in sorted((_ROOT / "ported_envs" / "pokejax").glob("*.py")):
            h.update(p.read_bytes())
        import jax
        return {"name": "pokejax", "version": "0.1", "hash": h.hexdigest()[:16], "jax": jax.__version__,
                "prng": self.config["prng"]}

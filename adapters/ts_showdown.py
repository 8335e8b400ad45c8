"""Pokemon Showdown 0.11.11 (gen 1 singles) as the pokemon family's reference, through a Node bridge.

Two players act at once: ``step(np.array([a_p1, a_p2]))`` with actions over the fixed
slot layout of ``suites.pokemon.schema.ACTIONS`` (move 1-4, switch 1-6, recharge,
struggle, fight, wait), mapped to Showdown choice strings by the bridge. The legal mask
has shape (2, 14) and is full-information (each candidate tried and undone).
Observation: ``suites.pokemon.schema.observation`` (int32, documented in SCHEMA.md).
Reward: +1/-1/0 for p1 at the end. ``truncated`` when turn reaches ``max_turns``
(gen1customgame has no Endless Battle Clause).

``reset(seed)``: both teams from Showdown's own gen-1 random-battle generator, seeded
``sodium,<hex(2*seed+1)>`` (p1) and ``sodium,<hex(2*seed+2)>`` (p2); battle PRNG seed
``sodium,<seed as 16 hex digits>`` (SCHEMA.md, "Teams and reset(seed)").
"""
from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import numpy as np

from equiv import Adapter, AdapterError, Step, Trajectory
from reference_envs.ts_showdown import client
from suites.pokemon import schema

FORMATS = ("gen1customgame", "gen1randombattle")
_ids = itertools.count(1)


def battle_seed(seed: int) -> str:
    return f"sodium,{int(seed) & (2**64 - 1):016x}"


TEAM_SOURCES = ("randombattle", "wholegame")


def team_message(seed: int, source: str = "randombattle") -> dict:
    """The teams part of a bridge reset for reset(seed): generator seeds (``randombattle``) or the
    sets of ``suites/pokemon/wholegame.py`` (``wholegame``)."""
    if source == "wholegame":
        from suites.pokemon import wholegame
        return {"teams": wholegame.teams(int(seed))}
    return {"team_seeds": team_seeds(seed)}


def team_seeds(seed: int) -> list:
    """The two team generator seeds of reset(seed): ``sodium,<hex(2*seed+1)>`` for p1 and
    ``sodium,<hex(2*seed+2)>`` for p2 (lowercase hex, unpadded), run through Showdown's own
    gen-1 random-battle generator by the bridge."""
    if not 0 <= int(seed) < 2**31:
        raise ValueError(f"reset seed {seed} is out of range; seeds are 0..2**31-1")
    return [f"sodium,{2 * int(seed) + 1:x}", f"sodium,{2 * int(seed) + 2:x}"]


_LAYOUT = [(f.name, f.np_dtype, f.shape) for f in schema.STATE]


def to_arrays(raw: dict) -> dict:
    """The bridge's canonical state (flat lists) as schema-typed numpy arrays."""
    out = {}
    for name, dtype, shape in _LAYOUT:
        if name not in raw:
            raise AdapterError(f"ts_showdown bridge state lacks field {name!r}; canonical.js and "
                               f"suites/pokemon/schema.py disagree", adapter="ts_showdown")
        out[name] = np.asarray(raw[name], dtype=dtype).reshape(shape)
    if len(raw) != len(out):
        extra = set(raw) - set(out)
        raise AdapterError(f"ts_showdown bridge state has fields {sorted(extra)} the schema does not "
                           f"declare; add them to suites/pokemon/schema.py or drop them", adapter="ts_showdown")
    return out


def _outputs(state: dict, max_turns: int):
    """(obs, reward, terminated, truncated) of a canonical state: numpy arrays or the bridge's
    flat lists (both in C order, so the observation is the same concatenation)."""
    ended = bool(state["ended"])
    winner = int(state["winner"])
    reward = np.float32(0.0)
    if ended:
        reward = np.float32(1.0 if winner == 0 else -1.0 if winner == 1 else 0.0)
    truncated = (not ended) and int(state["turn"]) >= max_turns
    return schema.observation(state), reward, ended, truncated


class TsShowdown(Adapter):
    family = "pokemon"
    randomness = "showdown-prng"
    role = "reference"

    def __init__(self, format: str = "gen1customgame", max_turns: int = 1000, processes: int = 1,
                 timeout: float = 60.0, record_tape: bool = False, faults=(), teams: str = "randombattle",
                 **config):
        super().__init__(format=format, max_turns=max_turns, processes=processes, timeout=timeout,
                         record_tape=record_tape, faults=faults, teams=teams, **config)
        if config:
            raise ValueError(f"ts_showdown does not know the settings {sorted(config)}; it takes format, "
                             f"max_turns, processes, timeout, record_tape, faults and teams")
        if format not in FORMATS:
            raise ValueError(f"format={format!r} is not supported; use one of {FORMATS}")
        if teams not in TEAM_SOURCES:
            raise ValueError(f"teams={teams!r} is not a team source; use one of {TEAM_SOURCES}")
        self.teams = teams
        self.format, self.max_turns = format, int(max_turns)
        self.record_tape, self.faults = bool(record_tape), list(faults)
        self.pool = client.BridgePool(int(processes), timeout)
        self._battle = None  # (bridge generation, battle id)
        self._reply = None
        self._state = None

    @classmethod
    def missing(cls) -> str | None:
        return client.missing()

    # --- single battle ----------------------------------------------------------
    @property
    def bridge(self) -> client.Bridge:
        return self.pool[0]

    def _install(self, msg: dict) -> dict:
        bid = next(_ids)
        msg = {**msg, "id": bid}
        if self.record_tape:
            msg["record"] = True
        reply = self.bridge.call(msg)
        self._battle = (self.bridge.generation, bid)
        return self._accept(reply)

    def _accept(self, reply: dict) -> dict:
        self._reply, self._state = reply, None
        return reply

    def _current(self) -> int:
        if self._battle is None:
            raise AdapterError("ts_showdown: no battle; call reset(seed) or set_state(state) first",
                               adapter="ts_showdown")
        gen, bid = self._battle
        if gen != self.bridge.generation or not self.bridge.alive():
            raise AdapterError("ts_showdown: this battle was held by a bridge process that has since died "
                               "(reported when it happened); it cannot be continued. Reset or set_state to start "
                               "again.", adapter="ts_showdown")
        return bid

    def reset(self, seed: int):
        self._close_current()
        self._install({"cmd": "reset", "format": self.format, "seed": battle_seed(seed),
                       **team_message(seed, self.teams)})
        return schema.observation(self.get_state())

    def start(self, seed: int, teams: list):
        """A battle between the given teams (two lists of Showdown sets), seeded as reset(seed)."""
        self._close_current()
        self._install({"cmd": "reset", "format": self.format, "seed": battle_seed(seed), "teams": list(teams)})
        return schema.observation(self.get_state())

    def step(self, action) -> Step:
        acts = np.asarray(action).reshape(-1)
        if acts.shape != (2,):
            raise ValueError(f"ts_showdown takes a joint action [a_p1, a_p2], got {action!r}")
        reply = self.bridge.call({"cmd": "step", "id": self._current(), "actions": [int(a) for a in acts]})
        self._accept(reply)
        obs, reward, terminated, truncated = _outputs(reply["state"], self.max_turns)
        info = {}
        if "draws" in reply:
            info = {"draws": reply["draws"], "seed_after": reply["seed_after"]}
        return Step(obs, reward, terminated, truncated, info)

    def get_state(self) -> dict:
        if self._reply is None:
            self._current()
        if self._state is None:
            self._state = to_arrays(self._reply["state"])
        return {k: v.copy() for k, v in self._state.items()}

    def set_state(self, state: dict) -> None:
        self._close_current()
        plain = {}
        for f in schema.STATE:
            v = np.asarray(state[f.name])
            plain[f.name] = v.tolist() if v.ndim == 0 else v.reshape(-1).tolist()
        msg = {"cmd": "set_state", "format": self.format, "state": plain}
        if self.faults:
            msg["faults"] = self.faults
        self._install(msg)

    def legal_actions(self) -> np.ndarray:
        if self._reply is None:
            self._current()
        return np.asarray(self._reply["legal"], dtype=bool)

    def observation(self):
        return schema.observation(self.get_state())

    def _close_current(self) -> None:
        if self._battle is not None and self.bridge.alive() and self._battle[0] == self.bridge.generation:
            try:
                self.bridge.call({"cmd": "close", "id": self._battle[1]})
            except AdapterError:
                pass
        self._battle, self._reply, self._state = None, None, None

    def save(self) -> str:
        """Showdown's own serialization of the current battle (toJSON), for debugging (README:
        Showdown's fromJSON drops a plain-Move side.lastMove; set_state is the exact path)."""
        return self.bridge.call({"cmd": "save", "id": self._current()})["blob"]

    def load(self, blob: str) -> None:
        """Continue a battle from ``save()``'s blob (Battle.fromJSON)."""
        self._close_current()
        self._install({"cmd": "load", "blob": blob})

    # --- draw tapes -----------------------------------------------------------------
    def draw_tape(self, start, actions) -> list:
        """Play ``actions`` from a seed or a state, recording every PRNG draw per step:
        ``[[[lo, hi, value, site], ...] per step]`` plus the seed after each step."""
        rec = TsShowdown(format=self.format, max_turns=self.max_turns, timeout=self.pool[0].timeout,
                         record_tape=True, faults=self.faults, teams=self.teams)
        try:
            if isinstance(start, dict):
                rec.set_state(start)
            else:
                rec.reset(int(start))
            tape = []
            for a in actions:
                s = rec.step(a)
                tape.append({"draws": s.info["draws"], "seed_after": s.info["seed_after"]})
                if s.terminated or s.truncated:
                    break
            return tape
        finally:
            rec.close()

    def replay_tape(self, start, actions, tape, record_states: bool = True) -> Trajectory:
        """Play ``actions`` with Showdown's PRNG replaced by ``tape`` (from ``draw_tape`` or a
        port): every draw's bounds are checked. Raises client.TapeMismatch at the first
        disagreement: ``step t: draw #k: asked [lo,hi) but tape has [lo',hi') at <site>``."""
        if isinstance(start, dict):
            self.set_state(start)
            seed = None
        else:
            self.reset(int(start))
            seed = int(start)
        outs, states, acts = [], [], []
        offset = 0
        for t, (a, entry) in enumerate(zip(actions, tape)):
            msg = {"cmd": "step", "id": self._current(), "actions": [int(x) for x in np.asarray(a).reshape(2)],
                   "tape": {"draws": entry["draws"], "seed_after": entry.get("seed_after"), "offset": offset}}
            try:
                reply = self.bridge.call(msg)
            except client.TapeMismatch as e:
                self._battle = None
                raise client.TapeMismatch(f"step {t}: {str(e).removeprefix('ts_showdown: ')}",
                                          kind="tape_mismatch") from None
            offset += len(entry["draws"])
            self._accept(reply)
            state = self.get_state()
            obs, reward, terminated, truncated = _outputs(state, self.max_turns)
            outs.append(Step(obs, reward, terminated, truncated).outputs(self.legal_actions()))
            states.append(state)
            acts.append(np.asarray(a))
            if terminated or truncated:
                break
        from equiv._adapter import stack
        return Trajectory(seed, np.asarray(acts), stack(outs), stack(states) if record_states else None)

    # --- many battles at once ---------------------------------------------------------
    def rollouts(self, seeds, policy, max_steps: int, record_states: bool = False) -> list:
        """Whole episodes spread over the process pool (several battles per process), stepped
        concurrently. Same trajectories as the one-at-a-time loop: each episode's policy rng
        is seeded from its own seed."""
        seeds = [int(s) for s in seeds]
        n = len(self.pool)
        width = max(1, 4 * n)
        results = {}
        for lo in range(0, len(seeds), width):
            chunk = seeds[lo:lo + width]
            results.update(self._rollout_chunk(chunk, policy, max_steps, record_states))
        return [results[i] for i in seeds]

    def _rollout_chunk(self, seeds, policy, max_steps, record_states):
        """Pipelined: each bridge has one request in flight per battle; as soon as a reply is in,
        the policy picks the next action and it is sent, so Python and Node work at once."""
        from collections import deque

        from equiv._adapter import _Recorder
        n = len(self.pool)
        live, inflight = {}, [deque() for _ in range(n)]
        for k, seed in enumerate(seeds):
            e = {"bridge": k % n, "id": next(_ids), "rng": np.random.default_rng([seed, 0x5EED]),
                 "rec": _Recorder(seed, record_states), "steps": 0, "reset": True}
            live[seed] = e
        done = {}
        try:
            for seed, e in live.items():
                self.pool[e["bridge"]].send({"cmd": "reset", "id": e["id"], "format": self.format,
                                             "seed": battle_seed(seed), **team_message(seed, self.teams)})
                inflight[e["bridge"]].append(seed)
            while any(inflight):
                for i in range(n):
                    if not inflight[i]:
                        continue
                    seed = inflight[i].popleft()
                    reply = self.pool[i].receive()
                    if seed is None:  # the reply to a close
                        continue
                    e = live[seed]
                    state = to_arrays(reply["state"]) if record_states else reply["state"]
                    legal = np.asarray(reply["legal"], bool)
                    obs, reward, terminated, truncated = _outputs(state, self.max_turns)
                    if not e.pop("reset", False):
                        e["rec"].add(e["action"], Step(obs, reward, terminated, truncated).outputs(legal),
                                     state if record_states else None)
                        e["steps"] += 1
                        if terminated or truncated or e["steps"] >= max_steps:
                            done[seed] = e["rec"].finish()
                            del live[seed]
                            self.pool[i].send({"cmd": "close", "id": e["id"]})
                            inflight[i].append(None)
                            continue
                    e["action"] = np.asarray(policy(obs, legal, e["rng"]))
                    self.pool[i].send({"cmd": "step", "id": e["id"],
                                       "actions": [int(x) for x in e["action"].reshape(2)]})
                    inflight[i].append(seed)
        except AdapterError as err:
            for seed, e in live.items():
                done[seed] = self._interrupted(seed, err, e["rec"])
            for i in range(n):  # drain what the surviving bridges still owe, so they stay in step
                while inflight[i] and self.pool[i].alive():
                    inflight[i].popleft()
                    try:
                        self.pool[i].receive()
                    except AdapterError:
                        pass
        return done

    @staticmethod
    def _interrupted(seed, err, rec) -> Trajectory:
        """The steps recorded before the bridge failed, marked with the failure."""
        traj = rec.finish() if rec.actions else Trajectory(seed, np.zeros((0, 2), np.int64), {})
        traj.interrupted = str(err)
        return traj

    @staticmethod
    def inprocess_baseline(format: str, battles: int, canonical: bool = False) -> dict:
        """The same random battles driven inside Node without the bridge (bench_inprocess.js)."""
        import json
        import subprocess
        cmd = ["node", "bench_inprocess.js", str(client.DATA_FILE), format, str(battles)]
        if canonical:
            cmd.append("canonical")
        out = subprocess.run(cmd, cwd=client.HERE, capture_output=True, text=True, check=True, timeout=1800)
        return json.loads(out.stdout.strip().splitlines()[-1])

    # --- bookkeeping ------------------------------------------------------------------
    def provenance(self) -> dict:
        h = hashlib.sha256()
        here = Path(client.HERE)
        for name in ("package-lock.json", "bridge.js", "canonical.js", "tape.js", "export_data.js"):
            h.update((here / name).read_bytes())
        if client.DATA_FILE.is_file():
            h.update(client.DATA_FILE.read_bytes())
        return {"name": "pokemon-showdown", "version": client.SHOWDOWN_VERSION, "hash": h.hexdigest()[:16],
                "format": self.format, "max_turns": self.max_turns, "processes": len(self.pool),
                "prng": "sodium (ChaCha20)"}

    def close(self) -> None:
        self._battle = None
        self.pool.close()

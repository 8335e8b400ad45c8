"""Adapters for the toy family: the reference, the equivalent port, and broken ports."""
import multiprocessing as mp

import jax.numpy as jnp
import numpy as np

import equiv
from tests.toy import rules
from tests.toy.port import FIELDS, make_step


class ToyReference(equiv.Adapter):
    family = "toy"
    randomness = "toy-xorshift"
    role = "reference"

    def reset(self, seed):
        self.s = rules.initial_state(seed)
        return rules.observe(self.s)

    def step(self, action):
        self.s, reward, done = rules.step(self.s, int(action))
        return equiv.Step(rules.observe(self.s), reward, done)

    def get_state(self):
        return {k: np.asarray(v) for k, v in self.s.items()}

    def set_state(self, state):
        self.s = {k: np.asarray(state[k]).copy() for k in FIELDS}

    def provenance(self):
        return {"name": "toy coin walk (Python)", "version": "1", "hash": "-"}


class ToyJax(equiv.Adapter):
    """The JAX port; subclasses switch on one bug each through ``bugs``."""

    family = "toy"
    randomness = "toy-xorshift"
    bugs: dict = {}

    def __init__(self, **config):
        super().__init__(**config)
        self._step = make_step(**self.bugs)

    def reset(self, seed):
        self.s = {k: jnp.asarray(v) for k, v in rules.initial_state(seed).items()}
        return rules.observe(rules.initial_state(seed))

    def step(self, action):
        self.s, obs, reward, done = self._step(self.s, jnp.int32(int(action)))
        return equiv.Step(np.asarray(obs), np.asarray(reward), bool(done))

    def get_state(self):
        return {k: np.asarray(v) for k, v in self.s.items()}

    def set_state(self, state):
        self.s = {k: jnp.asarray(np.asarray(state[k])) for k in FIELDS}

    def provenance(self):
        return {"name": "toy coin walk (JAX)", "version": "1", "hash": repr(sorted(self.bugs.items()))}


class OffByOneLimit(ToyJax):
    bugs = {"limit": rules.LIMIT + 1}


class WrongRareReward(ToyJax):
    bugs = {"rare_reward": 4.0}


class ChangedDraw(ToyJax):
    bugs = {"drift_shift": 9}


class HalfPrecisionReward(ToyJax):
    bugs = {"reward_in_f16": True}


class BrokenSetState(ToyJax):
    def set_state(self, state):  # forgets energy: keeps whatever it had
        old = getattr(self, "s", None)
        super().set_state(state)
        if old is not None:
            self.s["energy"] = old["energy"]


class IndependentPort(ToyJax):
    """Its own generator: lockstep is impossible, only statistics can judge it."""
    randomness = "toy-lcg"
    bugs = {"generator": "lcg"}


class IndependentRareTooOften(IndependentPort):
    """A change visible only in the statistics: treasure every 1/16 instead of 1/64."""
    bugs = {"generator": "lcg", "rare_every": 16}


class NaNReward(ToyJax):
    def step(self, action):
        out = super().step(action)
        if int(self.s["pos"]) == 3:
            out.reward = np.float32("nan")
        return out


class RaisingPort(ToyJax):
    def step(self, action):
        if int(self.s["t"]) == 5:
            raise RuntimeError("port exploded at t=5")
        return super().step(action)


class HangingPort(ToyJax):
    """Loops forever on the sixth step of an episode (in Python: the watchdog interrupts it)."""

    def step(self, action):
        while int(self.s["t"]) == 5:
            pass
        return super().step(action)


class StuckInNativeCode(ToyJax):
    """Deadlocks in C on the sixth step (locks a mutex it already holds): no signal can end it."""

    def step(self, action):
        if int(self.s["t"]) == 5:
            import ctypes
            libc = ctypes.CDLL(None)
            mutex = ctypes.create_string_buffer(64)  # zeroed: PTHREAD_MUTEX_INITIALIZER on glibc
            libc.pthread_mutex_lock(mutex)
            libc.pthread_mutex_lock(mutex)  # a default mutex locked twice by one thread never returns
        return super().step(action)


def _serve(conn, die_at_step):
    import os
    ref = ToyReference()
    while True:
        method, args = conn.recv()
        if method == "step" and die_at_step is not None and int(ref.s["t"]) >= die_at_step:
            os._exit(3)  # a crash, as a segfaulting or killed reference would
        conn.send(getattr(ref, method)(*args))


class SubprocessReference(ToyReference):
    """The reference run in a child process, as out-of-process references are (Node, C)."""

    die_at_step = None

    def __init__(self, **config):
        super().__init__(**config)
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.die_at_step), daemon=True)
        self.proc.start()

    def _ask(self, method, *args):
        try:
            self.conn.send((method, args))
            if not self.conn.poll(20):
                raise TimeoutError("no answer in 20 s")
            return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError, TimeoutError) as e:
            self.proc.join(1)
            raise equiv.AdapterError(f"the reference process died (exit code {self.proc.exitcode}) during "
                                     f"{method}: {type(e).__name__}; restart the run, and check the "
                                     f"process's stderr above") from None

    def reset(self, seed):
        return self._ask("reset", seed)

    def step(self, action):
        return self._ask("step", action)

    def get_state(self):
        return self._ask("get_state")

    def set_state(self, state):
        return self._ask("set_state", state)

    def close(self):
        self.proc.kill()


class DyingReference(SubprocessReference):
    """Its process crashes on the 10th step of any episode."""
    die_at_step = 10


class Float64Energy(ToyJax):
    """Exports one state field in the wrong dtype."""

    def get_state(self):
        return {**super().get_state(), "energy": np.float64(self.s["energy"])}


class NeedsBrokenModule(ToyJax):
    requires = ("jax", "tests.toy.broken_dependency")


class OtherFamily(ToyReference):
    family = "not_toy"


class TightReference(ToyReference):
    """The toy family with a margin too tight to settle in a quick run: INCONCLUSIVE."""
    family = "toy_tight"


class TightJax(ToyJax):
    family = "toy_tight"


ALL = {
    "toy_tight_ref": "TightReference", "toy_tight_jax": "TightJax", "toy_hangs": "HangingPort",
    "toy_stuck": "StuckInNativeCode", "toy_broken_dependency": "NeedsBrokenModule",
    "toy_f64_energy": "Float64Energy",
    "toy_ref_dies": "DyingReference", "toy_other_family": "OtherFamily",
    "toy_ref": "ToyReference", "toy_jax": "ToyJax", "toy_offbyone": "OffByOneLimit",
    "toy_rare_reward": "WrongRareReward", "toy_changed_draw": "ChangedDraw", "toy_f16": "HalfPrecisionReward",
    "toy_bad_set_state": "BrokenSetState", "toy_indep": "IndependentPort",
    "toy_indep_rare": "IndependentRareTooOften", "toy_nan": "NaNReward", "toy_raises": "RaisingPort",
    "toy_ref_subprocess": "SubprocessReference",
}


def register():
    for name, cls in ALL.items():
        equiv.register_adapter(name, f"tests.toy.adapters:{cls}")
    equiv.register_suite("toy", "tests.toy.suite:SUITE")
    equiv.register_suite("toy_tight", "tests.toy.suite:TIGHT")

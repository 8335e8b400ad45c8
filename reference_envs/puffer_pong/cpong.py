"""Drive the compiled C Pong binding, and see inside it, with ctypes.

Two things the binding does not expose are reached here:

- The ``struct Pong`` of each env: mirrored field for field (:class:`PongStruct`, same
  order as ``pong.h``) and viewed as a NumPy record at the env's address, so reading or
  writing the whole game state costs a few array operations.
- glibc's process-wide ``rand()`` generator, which ``reset_round`` draws from. Each
  :class:`CPong` owns its own 128-byte TYPE_3 state buffer (:class:`GlibcRandBuffer`) and
  swaps it in with ``setstate`` around every call into C, then swaps the previous one
  back. So several reference instances in one process (the self-pair
  ``puffer_pong`` vs ``puffer_pong``, say) never share a stream, and Python code that
  calls ``rand()`` elsewhere is not disturbed. This in-process swap was chosen over a
  worker subprocess per instance: it costs two libc calls per step instead of an IPC
  round trip, and keeps every state read a memory copy.

The generator state is given as a window of the last 31 outputs of glibc's additive
generator ``t[i] = t[i-31] + t[i-3] (mod 2**32)``, oldest first: the next ``rand()``
is ``(w[0] + w[28]) >> 1``. That is exactly what glibc keeps (31 words plus the
front/rear positions, which ``setstate`` saves into word 0 of the buffer as
``5 * rear + TYPE_3``).
"""
from __future__ import annotations

import ctypes
import importlib.util
import sysconfig
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BUILD = HERE / "build"

# The keyword arguments of pufferlib.ocean.pong.pong.Pong that reach the C env, with its defaults.
DEFAULT_CONFIG = {
    "width": 500, "height": 640, "paddle_width": 20, "paddle_height": 70,
    "ball_width": 32, "ball_height": 32, "paddle_speed": 8,
    "ball_initial_speed_x": 10, "ball_initial_speed_y": 1,
    "ball_speed_y_increment": 3, "ball_max_speed_y": 13,
    "max_score": 21, "frameskip": 1, "continuous": False,
}
_INT_KEYS = ("max_score", "frameskip")

# The mutable game state of struct Pong (the rest is configuration fixed at init).
STATE_FIELDS = {
    "paddle_yl": "float32", "paddle_yr": "float32", "ball_x": "float32", "ball_y": "float32",
    "ball_vx": "float32", "ball_vy": "float32", "score_l": "uint32", "score_r": "uint32",
    "paddle_dir": "float32", "tick": "int32", "n_bounces": "int32", "win": "int32",
}

_TYPE_3, _MAX_TYPES, _DEG, _SEP = 3, 5, 31, 3


def check_config(config: dict) -> dict:
    """The full C configuration for ``config``; ValueError naming any bad key or value."""
    unknown = sorted(set(config) - set(DEFAULT_CONFIG))
    if unknown:
        raise ValueError(f"unknown Pong settings {unknown}; the C env takes {sorted(DEFAULT_CONFIG)}")
    full = {**DEFAULT_CONFIG, **config}
    for k in _INT_KEYS:
        if isinstance(full[k], bool) or not isinstance(full[k], (int, np.integer)):
            raise ValueError(f"Pong setting {k}={full[k]!r} must be an integer")
    if full["frameskip"] < 1:
        raise ValueError(f"Pong setting frameskip={full['frameskip']} must be >= 1")
    if not 1 <= full["max_score"] < 2**31:
        raise ValueError(f"Pong setting max_score={full['max_score']} must be in [1, 2**31) "
                         f"(0 divides by zero in the C observation)")
    if not isinstance(full["continuous"], (bool, np.bool_)) and full["continuous"] not in (0, 1):
        raise ValueError(f"Pong setting continuous={full['continuous']!r} must be True or False")
    for k, v in full.items():
        if k not in _INT_KEYS and k != "continuous":
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise ValueError(f"Pong setting {k}={v!r} must be a number")
            if isinstance(v, (int, np.integer)) and not -2**31 <= v < 2**31:
                raise ValueError(f"Pong setting {k}={v} is out of the C int range")
    full["continuous"] = bool(full["continuous"])
    return full


# --- the build product -----------------------------------------------------------------
def binding_path() -> Path:
    return BUILD / f"binding{sysconfig.get_config_var('EXT_SUFFIX')}"


def build_missing() -> str | None:
    if not binding_path().is_file():
        return (f"the PufferLib Pong binding is not built ({binding_path()} is missing); "
                f"run ./dev.sh setup (or: VENV=$PWD/.venv bash reference_envs/puffer_pong/setup.sh)")
    return None


def build_provenance() -> dict:
    """What setup.sh recorded about the build (version, sdist and source hashes, flags)."""
    info = {}
    path = BUILD / "provenance.txt"
    if path.is_file():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            info[key.strip()] = value.strip()
    return info


_binding = None


def _load_binding():
    global _binding
    if _binding is None:
        problem = build_missing()
        if problem:
            raise RuntimeError(problem)
        # The init function is PyInit_binding, so the module must be called "binding".
        # It is kept out of sys.modules: nothing else should find it by that name.
        spec = importlib.util.spec_from_file_location("binding", binding_path())
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _binding = module
    return _binding


# --- struct Pong, field for field ------------------------------------------------------
class _Log(ctypes.Structure):
    _fields_ = [(n, ctypes.c_float) for n in ("perf", "score", "episode_return", "episode_length", "n")]


_F, _U, _I = ctypes.c_float, ctypes.c_uint, ctypes.c_int


class PongStruct(ctypes.Structure):
    _fields_ = [
        ("client", ctypes.c_void_p), ("log", _Log),
        ("observations", ctypes.c_void_p), ("actions", ctypes.c_void_p),
        ("rewards", ctypes.c_void_p), ("terminals", ctypes.c_void_p),
        ("paddle_yl", _F), ("paddle_yr", _F), ("ball_x", _F), ("ball_y", _F),
        ("ball_vx", _F), ("ball_vy", _F), ("score_l", _U), ("score_r", _U),
        ("width", _F), ("height", _F), ("paddle_width", _F), ("paddle_height", _F),
        ("ball_width", _F), ("ball_height", _F), ("paddle_speed", _F),
        ("ball_initial_speed_x", _F), ("ball_initial_speed_y", _F),
        ("ball_max_speed_y", _F), ("ball_speed_y_increment", _F), ("max_score", _U),
        ("min_paddle_y", _F), ("max_paddle_y", _F), ("paddle_dir", _F),
        ("tick", _I), ("n_bounces", _I), ("win", _I), ("frameskip", _I), ("continuous", _I),
    ]


class _VecEnv(ctypes.Structure):
    _fields_ = [("envs", ctypes.POINTER(ctypes.POINTER(PongStruct))), ("num_envs", ctypes.c_int)]


_NP_OF = {_F: "<f4", _U: "<u4", _I: "<i4"}
# The struct as a NumPy record (only the scalar fields; pointers and the log are skipped).
STRUCT_DTYPE = np.dtype({
    "names": [n for n, t in PongStruct._fields_ if t in _NP_OF],
    "formats": [_NP_OF[t] for n, t in PongStruct._fields_ if t in _NP_OF],
    "offsets": [getattr(PongStruct, n).offset for n, t in PongStruct._fields_ if t in _NP_OF],
    "itemsize": ctypes.sizeof(PongStruct),
})


def _struct_view(address: int) -> np.ndarray:
    """A writable length-1 record array aliasing the struct at ``address``."""
    raw = (ctypes.c_char * ctypes.sizeof(PongStruct)).from_address(address)
    return np.frombuffer(raw, dtype=STRUCT_DTYPE, count=1)


# --- glibc rand() state ----------------------------------------------------------------
_libc = ctypes.CDLL("libc.so.6")
_libc.setstate.restype = ctypes.c_void_p
_libc.setstate.argtypes = [ctypes.c_void_p]
_libc.initstate.restype = ctypes.c_void_p
_libc.initstate.argtypes = [ctypes.c_uint, ctypes.c_void_p, ctypes.c_size_t]


class GlibcRandBuffer:
    """A private TYPE_3 state for glibc's ``rand()``; active only inside :meth:`active`."""

    def __init__(self):
        self._words = (ctypes.c_int32 * (1 + _DEG))()  # word 0: 5*rear + type; then r[0..30]
        self._address = ctypes.addressof(self._words)
        previous = _libc.initstate(1, self._address, ctypes.sizeof(self._words))
        _libc.setstate(previous)  # back to whatever was active; saves our positions into word 0
        self._depth = 0

    @contextmanager
    def active(self):
        """Make ``rand()``/``srand()`` use this buffer for the duration of the block."""
        if self._depth:  # already active (nested use): nothing to swap
            yield
            return
        previous = _libc.setstate(self._address)
        if not previous:
            raise RuntimeError("glibc setstate() rejected the Pong RNG buffer")
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            _libc.setstate(previous)

    def window(self) -> np.ndarray:
        """The generator state: the last 31 outputs of the additive generator, oldest first."""
        words = np.ctypeslib.as_array(self._words).view(np.uint32)
        rear = int(words[0]) // _MAX_TYPES
        front = (rear + _SEP) % _DEG
        return np.roll(words[1:], -front).copy()

    def set_window(self, window) -> None:
        window = np.asarray(window)
        if window.shape != (_DEG,):
            raise ValueError(f"glibc rand state must have shape ({_DEG},), got {window.shape}")
        words = np.ctypeslib.as_array(self._words).view(np.uint32)
        words[1:] = window.astype(np.uint32)  # front slot 0 holds the oldest value...
        words[0] = _MAX_TYPES * ((_DEG - _SEP) % _DEG) + _TYPE_3  # ...so rear = front - 3 (mod 31)


# --- the environment -------------------------------------------------------------------
class CPong:
    """``num_envs`` C Pong envs driven like ``pufferlib.ocean.pong.Pong`` does, with buffers
    owned here and a private glibc stream. Like PufferLib's vector, all envs of one
    instance share that stream; with ``num_envs=1`` an episode depends on its seed only."""

    def __init__(self, num_envs: int = 1, seed: int = 0, **config):
        self.config = check_config(config)
        self.num_envs = int(num_envs)
        self._b = _load_binding()
        n = self.num_envs
        self.observations = np.zeros((n, 8), np.float32)
        self.actions = np.zeros(n, np.float32)
        self.rewards = np.zeros(n, np.float32)
        self.terminals = np.zeros(n, np.bool_)
        self.truncations = np.zeros(n, np.bool_)
        self.rand = GlibcRandBuffer()
        with self.rand.active():
            self._handle = self._b.vec_init(self.observations, self.actions, self.rewards,
                                            self.terminals, self.truncations, n, int(seed), **self.config)
        vec = ctypes.cast(ctypes.c_void_p(self._handle), ctypes.POINTER(_VecEnv)).contents
        self._structs = [_struct_view(ctypes.addressof(vec.envs[i].contents)) for i in range(n)]
        self.continuous = self.config["continuous"]

    def struct(self, i: int = 0) -> np.ndarray:
        """The live record view of env ``i`` (writes go straight into C memory)."""
        return self._structs[i]

    def reset(self, seed: int) -> None:
        """``Pong.reset(seed)``: env i is reseeded with ``srand(i + seed*num_envs)`` and reset."""
        if not 0 <= int(seed) < 2**31:
            raise ValueError(f"Pong seed {seed} must be in [0, 2**31) (the C binding takes a C int)")
        with self.rand.active():
            self._b.vec_reset(self._handle, int(seed))

    def set_actions(self, actions) -> None:
        """What ``Pong.step`` does to its argument before calling C."""
        if self.continuous:
            self.actions[:] = np.clip(np.asarray(actions, np.float32).reshape(-1), -1.0, 1.0)
        else:
            self.actions[:] = actions

    def step(self) -> None:
        with self.rand.active():
            self._b.vec_step(self._handle)

    def step_many(self, n: int) -> None:
        """``n`` steps with the current actions, one generator swap (for benchmarks)."""
        step, handle = self._b.vec_step, self._handle
        with self.rand.active():
            for _ in range(n):
                step(handle)

    def close(self) -> None:
        if getattr(self, "_handle", None):
            self._b.vec_close(self._handle)
            self._handle = None
            self._structs = []

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

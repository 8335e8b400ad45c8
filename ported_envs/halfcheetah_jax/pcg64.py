"""numpy's ``default_rng(seed)`` draws that Gymnasium's HalfCheetah reset makes, in plain Python.

Gymnasium seeds ``np.random.Generator(PCG64(SeedSequence(seed)))`` and draws
``uniform(-0.1, 0.1, 9)`` (qpos noise) then ``standard_normal(9)`` (qvel noise, scaled by
0.1). To start an episode from the same integer seed, the port reproduces those draws
bit for bit without numpy.random:

- ``SeedSequence``: the entropy (the seed as little-endian 32-bit words) hashed into a
  4-word pool, then ``generate_state(4, uint64)`` (O'Neill's hash mixing);
- ``PCG64``: a 128-bit LCG (seeded as ``pcg64_srandom_r(state, inc)``), XSL-RR output,
  step then output; doubles are ``(u64 >> 11) * 2**-53``;
- ``uniform(low, high)`` = ``low + (high - low) * next_double``;
- ``standard_normal``: numpy's 256-level ziggurat (tables copied from the installed numpy
  at set-up by :mod:`.generate_ziggurat`), with its tail and wedge rejection steps.

Python integers and floats are IEEE doubles with single rounding, as the C is, so the
values are identical. This runs on the host, once per reset (not in the jitted step);
:func:`reset_noise` is what ``env.reset_from_seed`` calls.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

ZIGGURAT_JSON = Path(__file__).resolve().parent / "build" / "ziggurat.json"

_M32 = 0xFFFFFFFF
_M64 = (1 << 64) - 1
_M128 = (1 << 128) - 1
_PCG_MULT = (0x2360ED051FC65DA4 << 64) | 0x4385DF649FCCF645  # PCG_DEFAULT_MULTIPLIER_128
# SeedSequence hash constants (numpy/random/bit_generator.pyx)
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _XSHIFT, _POOL = 0xCA01F9DD, 0x4973F715, 16, 4
# Ziggurat tail constants (numpy's ziggurat_constants.h): the right edge r and 1/r
_NOR_R = 3.6541528853610088
_NOR_INV_R = 0.27366123732975828


@lru_cache(maxsize=None)
def _tables():
    if not ZIGGURAT_JSON.is_file():
        raise FileNotFoundError(f"{ZIGGURAT_JSON} is missing: it is copied from the installed numpy at "
                                f"set-up; run ./dev.sh setup (or ported_envs/halfcheetah_jax/setup.sh)")
    t = json.loads(ZIGGURAT_JSON.read_text())
    return t["ki_double"], t["wi_double"], t["fi_double"]


def _seed_words(seed: int) -> list[int]:
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    words = []
    while True:
        words.append(seed & _M32)
        seed >>= 32
        if not seed:
            return words


def _pool(entropy: list[int]) -> list[int]:
    hash_const = [_INIT_A]

    def hashmix(value):
        value ^= hash_const[0]
        hash_const[0] = (hash_const[0] * _MULT_A) & _M32
        value = (value * hash_const[0]) & _M32
        return value ^ (value >> _XSHIFT)

    def mix(x, y):
        r = (_MIX_L * x - _MIX_R * y) & _M32
        return r ^ (r >> _XSHIFT)

    mixer = [hashmix(entropy[i] if i < len(entropy) else 0) for i in range(_POOL)]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                mixer[dst] = mix(mixer[dst], hashmix(mixer[src]))
    for src in range(_POOL, len(entropy)):
        for dst in range(_POOL):
            mixer[dst] = mix(mixer[dst], hashmix(entropy[src]))
    return mixer


def _generate_state_u64(pool: list[int], n: int) -> list[int]:
    hash_const = _INIT_B
    words = []
    for i in range(2 * n):
        value = pool[i % len(pool)] ^ hash_const
        hash_const = (hash_const * _MULT_B) & _M32
        value = (value * hash_const) & _M32
        words.append(value ^ (value >> _XSHIFT))
    return [words[2 * i] | (words[2 * i + 1] << 32) for i in range(n)]


class NumpyPCG64:
    """The bit stream and the two draws of ``numpy.random.default_rng(seed)`` used at reset."""

    def __init__(self, seed: int):
        s = _generate_state_u64(_pool(_seed_words(int(seed))), 4)
        initstate = (s[0] << 64) | s[1]
        initseq = (s[2] << 64) | s[3]
        self.inc = ((initseq << 1) | 1) & _M128
        self.state = 0
        self._step()
        self.state = (self.state + initstate) & _M128
        self._step()

    def _step(self):
        self.state = (self.state * _PCG_MULT + self.inc) & _M128

    def next_uint64(self) -> int:
        self._step()
        hi, lo = self.state >> 64, self.state & _M64
        rot = self.state >> 122
        x = hi ^ lo
        return ((x >> rot) | (x << ((64 - rot) & 63))) & _M64

    def next_double(self) -> float:
        return (self.next_uint64() >> 11) * (1.0 / 9007199254740992.0)

    def uniform(self, low: float, high: float, n: int) -> list[float]:
        span = high - low
        return [low + span * self.next_double() for _ in range(n)]

    def standard_normal(self, n: int) -> list[float]:
        return [self._normal() for _ in range(n)]

    def _normal(self) -> float:
        ki, wi, fi = _tables()
        while True:
            r = self.next_uint64()
            idx = r & 0xFF
            r >>= 8
            sign = r & 0x1
            rabs = (r >> 1) & 0x000FFFFFFFFFFFFF
            x = rabs * wi[idx]
            if sign:
                x = -x
            if rabs < ki[idx]:
                return x
            if idx == 0:  # the tail beyond r: Marsaglia's exponential rejection
                while True:
                    xx = -_NOR_INV_R * math.log1p(-self.next_double())
                    yy = -math.log1p(-self.next_double())
                    if yy + yy > xx * xx:
                        return -(_NOR_R + xx) if (rabs >> 8) & 0x1 else _NOR_R + xx
            elif (fi[idx - 1] - fi[idx]) * self.next_double() + fi[idx] < math.exp(-0.5 * x * x):
                return x


def reset_noise(seed: int, nq: int, nv: int, scale: float) -> tuple[list[float], list[float]]:
    """Gymnasium's HalfCheetah reset noise for ``reset(seed=seed)``: ``uniform(-scale, scale, nq)``
    then ``scale * standard_normal(nv)``, the product rounded as numpy rounds it."""
    rng = NumpyPCG64(seed)
    qpos = rng.uniform(-scale, scale, nq)
    qvel = [scale * z for z in rng.standard_normal(nv)]
    return qpos, qvel

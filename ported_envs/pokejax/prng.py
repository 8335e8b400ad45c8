"""Showdown's two PRNGs (sim/prng.ts) in JAX, bit-exact, plus the draw helpers the battle uses.

State is always ``uint32[8]``:
- gen5 (``"gen5,<16 hex>"`` or ``"a,b,c,d"``): words 0..3 hold the four 16-bit limbs, most significant first.
- sodium (``"sodium,<hex>"``): the 32-byte ChaCha20 key, word i = little-endian uint32 of bytes 4i..4i+3.

Which generator a battle uses is static (``kind``), so jit specialises the hot loop to one of them.
gen5 is the default: one draw is ~40 uint32 ops against ~1000 for a ChaCha20 block, and a branchless
engine evaluates every potential draw site (keeping it only when its condition holds).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.pokejax import sodium_native

GEN5, SODIUM = 0, 1
KINDS = {"gen5": GEN5, "sodium": SODIUM}
U32 = jnp.uint32

_A = (0x5D58, 0x8B65, 0x6C07, 0x8965)  # LCG multiplier limbs, most significant first
_C = (0x0000, 0x0000, 0x0026, 0x9EC3)
_NONCE = np.frombuffer(b"LibsodiumDRG", "<u4")  # libsodium randombytes_buf_deterministic nonce


# --- seeds <-> state ---------------------------------------------------------------------------
def parse_seed(seed: str) -> tuple[int, np.ndarray]:
    """A Showdown seed string -> (kind, uint32[8] state)."""
    out = np.zeros(8, np.uint32)
    if seed.startswith("sodium,"):
        key = bytes.fromhex(seed[7:].ljust(64, "0"))
        out[:] = np.frombuffer(key, "<u4")
        return SODIUM, out
    if seed.startswith("gen5,"):
        h = seed[5:]
        out[:4] = [int(h[i:i + 4], 16) for i in range(0, 16, 4)]
        return GEN5, out
    parts = seed.split(",")
    if len(parts) == 4 and all(p.strip().isdigit() for p in parts):
        out[:4] = [int(p) for p in parts]
        return GEN5, out
    raise ValueError(f"unrecognised Showdown seed {seed!r}; use 'gen5,<16 hex>', 'a,b,c,d' or 'sodium,<hex>'")


def format_seed(kind: int, state) -> str:
    """State -> the seed string Showdown's ``prng.getSeed()`` prints."""
    s = np.asarray(state, np.uint32)
    if kind == SODIUM:
        return "sodium," + s.astype("<u4").tobytes().hex()
    return ",".join(str(int(x)) for x in s[:4])


# --- generators ---------------------------------------------------------------------------------
def _gen5_next(s):
    """One LCG frame on 16-bit limbs held in uint32 (products of two limbs fit in 32 bits)."""
    limbs = [s[..., i] for i in range(4)]
    out = [None] * 4
    carry = jnp.zeros_like(limbs[0])
    for o in range(3, -1, -1):
        acc_lo = carry + U32(_C[o])
        acc_hi = jnp.zeros_like(carry)  # overflow beyond 32 bits, in units of 2^32
        for b in range(o, 4):
            p = limbs[3 - (b - o)] * U32(_A[b])
            new = acc_lo + p
            acc_hi = acc_hi + (new < p).astype(U32)
            acc_lo = new
        out[o] = acc_lo & U32(0xFFFF)
        carry = (acc_lo >> U32(16)) + (acc_hi << U32(16))
    new_state = jnp.stack(out + [s[..., 4], s[..., 5], s[..., 6], s[..., 7]], axis=-1)
    return new_state, (out[0] << U32(16)) | out[1]


def _rotl(x, n):
    return (x << U32(n)) | (x >> U32(32 - n))


def _chacha_block(key):
    """RFC 8439 ChaCha20 block (counter 0, libsodium nonce) over the last axis of ``key`` (8 words)."""
    const = [U32(0x61707865), U32(0x3320646E), U32(0x79622D32), U32(0x6B206574)]
    z = jnp.zeros_like(key[..., 0])
    init = [c + z for c in const] + [key[..., i] for i in range(8)] + [z] + [U32(int(n)) + z for n in _NONCE]
    x = list(init)

    def qr(a, b, c, d):
        x[a] = x[a] + x[b]; x[d] = _rotl(x[d] ^ x[a], 16)
        x[c] = x[c] + x[d]; x[b] = _rotl(x[b] ^ x[c], 12)
        x[a] = x[a] + x[b]; x[d] = _rotl(x[d] ^ x[a], 8)
        x[c] = x[c] + x[d]; x[b] = _rotl(x[b] ^ x[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return [a + b for a, b in zip(x, init)]


def _chacha_block_rolled(key):
    """The same block with the 10 double rounds as a loop: far less code to compile, for the few
    places that draw outside the hot step (the team generator at reset)."""
    const = [U32(0x61707865), U32(0x3320646E), U32(0x79622D32), U32(0x6B206574)]
    z = jnp.zeros_like(key[..., 0])
    init = jnp.stack([c + z for c in const] + [key[..., i] for i in range(8)] + [z]
                     + [U32(int(n)) + z for n in _NONCE], axis=-1)

    def double_round(_, w):
        x = [w[..., i] for i in range(16)]

        def qr(a, b, c, d):
            x[a] = x[a] + x[b]; x[d] = _rotl(x[d] ^ x[a], 16)
            x[c] = x[c] + x[d]; x[b] = _rotl(x[b] ^ x[c], 12)
            x[a] = x[a] + x[b]; x[d] = _rotl(x[d] ^ x[a], 8)
            x[c] = x[c] + x[d]; x[b] = _rotl(x[b] ^ x[c], 7)

        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
        return jnp.stack(x, axis=-1)

    return jax.lax.fori_loop(0, 10, double_round, init) + init


def sodium_next_rolled(s):
    """``next_u32(SODIUM, s)`` through the rolled block: (new key, output)."""
    blk = _chacha_block_rolled(s)
    return blk[..., :8], _bswap(blk[..., 8])


def _bswap(w):
    return ((w & U32(0xFF)) << U32(24)) | ((w & U32(0xFF00)) << U32(8)) | \
        ((w >> U32(8)) & U32(0xFF00)) | (w >> U32(24))


def _sodium_next(s):
    # The block is materialised (a barrier) before it is sliced: fused into its consumers, XLA
    # CPU (jaxlib 0.10) emits a loop that never finishes once the key has a batch axis.
    blk = jax.lax.optimization_barrier(jnp.stack(_chacha_block(s), axis=-1))
    return blk[..., :8], _bswap(blk[..., 8])  # bytes 32..35 read big-endian


def next_u32(kind: int, s):
    """Advance once: (new state, 32-bit output)."""
    return _sodium_next(s) if kind == SODIUM else _gen5_next(s)


def scale(r, lo, hi):
    """Showdown's ``random(lo, hi)`` from a 32-bit output: floor(r*(hi-lo)/2^32)+lo, exact in uint32."""
    n = (jnp.asarray(hi) - jnp.asarray(lo)).astype(U32)
    r = r.astype(U32)
    hi16, lo16 = r >> U32(16), r & U32(0xFFFF)
    v = (hi16 * n + ((lo16 * n) >> U32(16))) >> U32(16)
    return v.astype(jnp.int32) + jnp.asarray(lo, jnp.int32)


def _stream_scan(kind: int, s, n: int):
    """The pure-JAX stream: a scan of ``next_u32`` (outputs[n, ...], states[n, ..., 8])."""
    def body(carry, _):
        new, r = next_u32(kind, carry)
        return new, (r, new)

    _, (outs, states) = jax.lax.scan(body, s, None, length=n)
    return outs, states


def stream(kind: int, s, n: int):
    """The next ``n`` outputs and the state after each of them: (outputs[n], states[n, 8]).

    The engine pre-draws a buffer per step and lets each draw site take the next entry only when
    its condition holds; the generator itself is then compiled once, not per site. On CPU the
    sodium stream runs in the native kernel (``sodium_native``) when it builds: XLA CPU would
    compute the ChaCha20 block once per output word it keeps; elsewhere, or without a compiler,
    the scan above (same values, bit for bit).
    """
    if kind == SODIUM and jax.default_backend() == "cpu" and sodium_native.available():
        return sodium_native.stream(s, n)
    return _stream_scan(kind, s, n)


"""The counter-based generator of spec §5 (R-5.2, R-5.3): lowbias32 over (key, counter).

Every random event of the game is one of these draws; the game state holds the key and
the counter, so any draw can be recomputed from the state alone.
"""
from __future__ import annotations

MASK = 0xFFFFFFFF
HEADS_BELOW = 0x80000000        # a draw with the top bit clear is heads
FLIP_UNTIL_TAILS_CAP = 32       # §8 A31


def mix32(x: int) -> int:
    """lowbias32 (R-5.2): a bijection on 32-bit integers."""
    x &= MASK
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK
    x ^= x >> 16
    return x


def make_key(seed: int) -> int:
    return mix32((seed & MASK) ^ 0x9E3779B9)


def raw(key: int, n: int) -> int:
    """The n-th draw of the stream with this key."""
    return mix32(key ^ mix32(n & MASK))


class Draws:
    """The generator's state: key and counter (the §9.1 fields ``rng_key``, ``rng_ctr``)."""

    def __init__(self, key: int = 0, ctr: int = 0):
        self.key, self.ctr = key & MASK, ctr & MASK

    @classmethod
    def from_seed(cls, seed: int) -> "Draws":
        return cls(make_key(seed), 0)

    def u32(self) -> int:
        u = raw(self.key, self.ctr)
        self.ctr = (self.ctr + 1) & MASK
        return u

    def coin(self) -> bool:
        """True = heads."""
        return self.u32() < HEADS_BELOW

    def below(self, n: int) -> int:
        """Uniform-ish in 0..n-1 by plain modulo; always exactly one draw, also for n == 1."""
        if n < 1:
            raise ValueError(f"below(n) needs n >= 1, got {n}")
        return self.u32() % n

    def shuffle(self, items: list, m: int | None = None) -> None:
        """Fisher-Yates over the first m entries, high index to low (R-5.3): m-1 draws."""
        m = len(items) if m is None else m
        for i in range(m - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def flip_coins(self, n: int) -> int:
        """Number of heads in n flips."""
        return sum(1 for _ in range(n) if self.coin())

    def flip_until_tails(self) -> int:
        """Heads before the first tails, capped at 32 (R-5.3, §8 A31)."""
        heads = 0
        while self.coin():
            heads += 1
            if heads == FLIP_UNTIL_TAILS_CAP:
                break
        return heads

"""The coin walk, written once in plain Python: the reference implementation.

State: pos (int32), t (int32), energy (float32), treasures (int32), rng (uint32, xorshift32).
Action 0/1/2 moves -1/0/+1. Each step draws r = xorshift32(rng):
- drift: one extra step right when bits 8-9 of r are 0 (probability 1/4);
- treasure (the rare branch): when (r >> 16) % 64 == 0: reward 5, pos back to 0;
- otherwise reward = float32(pos) * float32(0.3).
energy = energy * 0.5 + reward (the product is exact, so fused multiply-add cannot change it).
The episode ends when |pos| >= 8 or after 64 steps.
"""
import numpy as np

F32 = np.float32
MASK = 0xFFFFFFFF
LIMIT, HORIZON, RARE_EVERY = 8, 64, 64


def xorshift32(x: int) -> int:
    x ^= (x << 13) & MASK
    x ^= x >> 17
    x ^= (x << 5) & MASK
    return x & MASK


def unxorshift32(y: int) -> int:
    """The inverse of xorshift32: lets a strategy choose the next draw."""
    def undo_left(v, s):
        out = v
        for _ in range(32 // s + 1):
            out = v ^ ((out << s) & MASK)
        return out & MASK

    def undo_right(v, s):
        out = v
        for _ in range(32 // s + 1):
            out = v ^ (out >> s)
        return out

    return undo_left(undo_right(undo_left(y, 5), 17), 13)


def seed_rng(seed: int) -> int:
    return ((seed * 2654435761 + 1) & MASK) or 1


def initial_state(seed: int) -> dict:
    return {"pos": np.int32(0), "t": np.int32(0), "energy": F32(0.0), "treasures": np.int32(0),
            "rng": np.uint32(seed_rng(seed))}


def observe(s: dict) -> np.ndarray:
    return np.array([F32(s["pos"]) * F32(0.125), s["energy"], F32(s["t"]) * F32(0.015625)], np.float32)


def step(s: dict, action: int) -> tuple[dict, float, bool]:
    r = xorshift32(int(s["rng"]))
    move = int(action) - 1 if int(action) in (0, 1, 2) else 0
    pos = int(s["pos"]) + move + (1 if (r >> 8) & 3 == 0 else 0)
    treasures = int(s["treasures"])
    if (r >> 16) % RARE_EVERY == 0:
        reward, pos, treasures = F32(5.0), 0, treasures + 1
    else:
        reward = F32(pos) * F32(0.3)
    energy = F32(s["energy"]) * F32(0.5) + reward
    t = int(s["t"]) + 1
    nxt = {"pos": np.int32(pos), "t": np.int32(t), "energy": F32(energy), "treasures": np.int32(treasures),
           "rng": np.uint32(r)}
    return nxt, F32(reward), abs(pos) >= LIMIT or t >= HORIZON

"""The reference, in plain Python. State: position, steps, and an xorshift32 generator.

Each step draws r = xorshift32(rng); the floor is slippery when r % 4 == 0 (the walker stays).
Action 0 steps left, 1 steps right. Reward 1 for reaching the right end (episode ends there),
-0.01 otherwise; 50 steps at most."""
LENGTH, HORIZON, MASK = 10, 50, 0xFFFFFFFF


def xorshift32(x: int) -> int:
    x ^= (x << 13) & MASK
    x ^= x >> 17
    return (x ^ (x << 5)) & MASK


def reset(seed: int) -> dict:
    return {"pos": 0, "t": 0, "rng": ((seed * 2654435761) & MASK) or 1}


def step(s: dict, action: int) -> tuple[dict, float, bool, bool]:
    r = xorshift32(s["rng"])
    move = 0 if r % 4 == 0 else (1 if action == 1 else -1)
    pos = min(max(s["pos"] + move, 0), LENGTH)
    t = s["t"] + 1
    done = pos == LENGTH
    return {"pos": pos, "t": t, "rng": r}, (1.0 if done else -0.01), done, t >= HORIZON and not done

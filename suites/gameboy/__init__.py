"""The gameboy family: a DMG emulator checked against PyBoy 2.8.1 on ROMs we build ourselves.

State: every piece of emulator state that decides what happens next (CPU registers,
flags, IME, EI delay, HALT, cycles; OAM DMA; PPU registers, clocks and VRAM/OAM; the
framebuffer; WRAM/HRAM; timer internals; MBC banks and cartridge RAM; joypad lines;
serial), all exact; see reference_envs/gameboy/state.py. Outputs: the screen (red
channel of the framebuffer), a CRC of the serial output, and for the game ROM the
score delta and game-over/win.

Variants: `cpu` steps one instruction (L1 injects generated CPU states); every
other variant runs one corpus ROM frame by frame with a joypad action. L2 traces
replay scripted button sequences per ROM; L3 plays seeded random button processes on
the game ROM (lockstep, since the emulator itself is deterministic) and compares game outcomes.
A diverging step is bisected to the first differing instruction (`explain`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from equiv import EXACT, Discrete, Field, Metric, Policy, Property, Schema, Suite, Tier
from reference_envs.gameboy.state import FIELDS
from suites.gameboy.cases import cpu_cases, play_cases

STATE = Schema(Field(name, dtype, shape, EXACT, doc) for name, dtype, shape, doc in FIELDS)

OUTPUTS = Schema([
    Field("obs.screen", "uint8", (144, 160), EXACT, "red channel of the RGBA framebuffer"),
    Field("obs.serial_crc", "uint32", (), EXACT, "CRC-32 of the bytes sent over serial since reset"),
    Field("reward", "int32", (), EXACT, "game ROM: score gained this step"),
    Field("terminated", "bool", (), EXACT, "game ROM: lost or won"),
    Field("truncated", "bool", (), EXACT, "episode_steps reached"),
])

# Frame-mode test ROMs: 20 steps of 8 frames (160 frames: the CPU exerciser finishes in 142).
TEST_ROM_STEPS, TEST_ROM_FRAMESKIP = 20, 8
VARIANTS = {
    "cpu": {"rom": "cpu_instrs", "mode": "instruction", "episode_steps": 64},
    "game": {"rom": "game", "frameskip": 4, "episode_steps": 2000},
    **{rom: {"rom": rom, "frameskip": TEST_ROM_FRAMESKIP, "episode_steps": TEST_ROM_STEPS}
       for rom in ("cpu_instrs", "timer", "interrupts", "ppu_scroll", "ppu_window", "ppu_sprites",
                   "ppu_lyc", "mbc1", "mbc5")},
}

# Buttons that play the game: nothing, left, right, each with and without A (fast).
GAME_MASKS = np.array([0x00, 0x02, 0x01, 0x12, 0x11], np.int64)
POLICIES = {
    "paddle": Policy("paddle", lambda obs, legal, rng: int(GAME_MASKS[rng.integers(0, len(GAME_MASKS))]),
                     "uniform over {none, left, right, left+A, right+A}: the game's own controls"),
}


def _total_reward(t):
    return float(np.sum(t.outputs["reward"])) if t.length else 0.0


def _won(t):
    return float(t.length > 0 and bool(t.outputs["terminated"][-1]) and _total_reward(t) >= 30)


METRICS = [
    Metric("score", _total_reward, margin=1.0, kind="continuous",
           doc="points per episode; random play scores about 1 (sd about 1), so a point is a real difference"),
    Metric("length", lambda t: float(t.length), margin=25.0, kind="continuous",
           doc="steps per episode (4 frames each in game; about 90-180 under random play, sd about 30); "
               "25 steps is under two balls' fall"),
    Metric("won", _won, margin=0.05, kind="categorical",
           doc="share of episodes won (30 points); random play never wins, so any win is a difference"),
]

# L3 plays the game ROM (the corpus's only ROM with outcomes to compare); the test ROMs
# are covered per frame by L1 frame_from_play and their L2 traces.
L3_VARIANTS = ("game",)
TIERS = {
    "quick": Tier(l1_examples=40, lockstep_episodes=5, stat_episodes=30, max_steps=2000,
                  l3_variants=L3_VARIANTS),
    "standard": Tier(l1_examples=200, lockstep_episodes=100, stat_episodes=100, max_steps=2000,
                     l3_variants=L3_VARIANTS),
    "deep": Tier(l1_examples=2000, lockstep_episodes=300, stat_episodes=300, max_steps=2000,
                 l3_variants=L3_VARIANTS),
}


def _explain(reference, ported, start, actions):
    from reference_envs.gameboy.trace import explain
    return explain(reference, ported, start, actions)


def _bench(reference_cls, ported_cls, args):
    from suites.gameboy.bench import bench
    return bench(reference_cls, ported_cls, args)


FRAME_VARIANTS = tuple(v for v, c in VARIANTS.items() if c.get("mode", "frame") == "frame")

SUITE = Suite(
    family="gameboy",
    state=STATE,
    outputs=OUTPUTS,
    action_space=Discrete(256),
    properties=[
        Property("cpu_instruction", cpu_cases, variants=("cpu",),
                 doc="one instruction from a generated CPU state (every legal opcode and CB opcode)"),
        Property("frame_from_play", play_cases, variants=FRAME_VARIANTS,
                 doc="one step (frameskip frames) from a state reached by random play"),
    ],
    policies=POLICIES,
    metrics=METRICS,
    variants=VARIANTS,
    tiers=TIERS,
    root=Path(__file__).parent,
    explain=_explain,
    bench=_bench,
    doc=__doc__,
)

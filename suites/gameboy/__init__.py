"""The gameboy family: a DMG emulator checked against PyBoy 2.8.1 on ROMs we build ourselves.

State: every piece of emulator state that decides what happens next (CPU registers,
flags, IME, EI delay, HALT, cycles; OAM DMA; PPU registers, clocks and VRAM/OAM; the
framebuffer; WRAM/HRAM; timer internals; MBC banks and cartridge RAM; joypad lines;
serial), all exact; see suites/gameboy/state.py. Outputs: the screen (red
channel of the framebuffer), a CRC of the serial output, and for the game ROM the
score delta and game-over/win.

Variants: `cpu` steps one instruction (L1 injects generated CPU states); every
other variant runs one corpus ROM frame by frame with a joypad action. L1 on `cpu` gives every
opcode and CB opcode its own case at every tier, cases on both sides of every named flag,
timer, interrupt and PPU edge, and (in full at standard and deep) every opcode x decision key of
coverage.py, which those tiers require (suites/gameboy/cases.py). L2 traces replay scripted
button sequences per ROM, among them the ALU sweep ROM (8-bit ALU exhaustive over operands x
carry); L3 plays seeded random button processes on the game ROM (lockstep, since the emulator
itself is deterministic) and compares game outcomes. A diverging step is bisected to the first
differing instruction (`explain`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from equiv import EXACT, Coverage, Discrete, Field, Metric, Policy, Property, Schema, Suite, Tier
from suites.gameboy import coverage
from suites.gameboy.state import FIELDS
from suites.gameboy.cases import (KEY_BLOCKS, alu8_edges, cpu_cases, enumerated, interrupt_edges, key_block,
                                  misc_edges, opcode_blocks, opcode_targets, play_cases, ppu_edges, timer_edges)

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
    # The ALU sweep runs 2,992 frames; its trace compares every 32.
    "alu_sweep": {"rom": "alu_sweep", "frameskip": 32, "episode_steps": 96},
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
# Standard and deep require every opcode x decision key of the cpu variant (coverage.py); the
# decisions[k] properties enumerate them all at 200 examples per property.
TIERS = {
    "quick": Tier(l1_examples=40, lockstep_episodes=5, stat_episodes=30, max_steps=2000,
                  l3_variants=L3_VARIANTS),
    "standard": Tier(l1_examples=200, lockstep_episodes=100, stat_episodes=100, max_steps=2000,
                     l3_variants=L3_VARIANTS, coverage_min=1),
    "deep": Tier(l1_examples=2000, lockstep_episodes=300, stat_episodes=300, max_steps=2000,
                 l3_variants=L3_VARIANTS, coverage_min=1),
}
COVERAGE = Coverage(coverage.hit, coverage.keys,
                    doc="cpu variant: opcode x decision (flags computed, branch taken, DAA's correction), "
                        "interrupt dispatch per vector, halted stay/wake; see suites/gameboy/coverage.py")


def _explain(reference, ported, start, actions):
    from reference_envs.gameboy.trace import explain
    return explain(reference, ported, start, actions)


def _bench(reference_cls, ported_cls, args):
    from suites.gameboy.bench import bench
    return bench(reference_cls, ported_cls, args)


FRAME_VARIANTS = tuple(v for v, c in VARIANTS.items() if c.get("mode", "frame") == "frame")
# Random play adds nothing on the ALU sweep (it reads no buttons); its trace compares every 32 frames.
PLAY_VARIANTS = tuple(v for v in FRAME_VARIANTS if v != "alu_sweep")
CPU = ("cpu",)

# Single-instruction properties (suites/gameboy/cases.py says how each is built). The
# enumerated ones run every case at a tier that allows as many examples as they have cases:
# opcodes[..] and edges_* (at most 40 cases) at every tier; decisions[k] (at most 200) in full
# at standard and deep, where coverage requires every key (quick leaves them out).
CPU_PROPERTIES = [
    *[Property(name, enumerated(name, lambda c=codes: opcode_targets(c)), variants=CPU,
               doc=f"every opcode of {name[8:-1]} once, inputs one step from another outcome")
      for name, codes in opcode_blocks()],
    Property("edges_alu8", enumerated("edges_alu8", alu8_edges), variants=CPU,
             doc="8-bit ALU and INC/DEC at their nibble, byte, borrow and zero edges, both sides"),
    Property("edges_misc", enumerated("edges_misc", misc_edges), variants=CPU,
             doc="DAA's correction bounds, ADD SP,e / LD HL,SP+e carries and signed offsets, ADD HL,rr "
                 "12/16-bit carries, rotations of $80/$01"),
    Property("edges_timer", enumerated("edges_timer", timer_edges), variants=CPU,
             doc="TIMA overflowing inside or just after an instruction at every clock select, the reload "
                 "cycles (TIMA/TMA reads and writes), DIV and TAC writes on a falling counter edge"),
    Property("edges_interrupts", enumerated("edges_interrupts", interrupt_edges), variants=CPU,
             doc="EI's delay running out with an interrupt pending, RETI and IF/IE writes with IME on, "
                 "HALT with IME off and an interrupt pending, dispatches whose pushes land on IE"),
    Property("edges_ppu", enumerated("edges_ppu", ppu_edges), variants=CPU,
             doc="the PPU 1-16 cycles before a mode or line change, LYC at the current or next line, then "
                 "an instruction reading or writing STAT, LY, LYC, SCX, WY, LCDC, VRAM or OAM, or HALT"),
    *[Property(f"decisions[{k}]", enumerated(f"decisions[{k}]", lambda k=k: key_block(k)), variants=CPU,
               tiers=("standard", "deep"),
               doc=f"block {k} of every opcode x decision key (coverage.py), inputs near another outcome")
      for k in range(KEY_BLOCKS)],
    Property("cpu_instruction", cpu_cases, variants=CPU,
             doc="one instruction from a random machine state (IME, EI delay, IF/IE, HALT, pointers "
                 "into I/O, VRAM, OAM, ROM)"),
]

SUITE = Suite(
    family="gameboy",
    state=STATE,
    outputs=OUTPUTS,
    action_space=Discrete(256),
    properties=[
        *CPU_PROPERTIES,
        Property("frame_from_play", play_cases, variants=PLAY_VARIANTS,
                 doc="one step (frameskip frames) from a state reached by random play"),
    ],
    policies=POLICIES,
    metrics=METRICS,
    variants=VARIANTS,
    tiers=TIERS,
    root=Path(__file__).parent,
    explain=_explain,
    bench=_bench,
    coverage=COVERAGE,
    doc=__doc__,
)

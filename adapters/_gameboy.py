"""What a gameboy-family adapter is, shared by the PyBoy reference and the EmuRust port
(private to adapters/; the family's contract, state fields and settings both sides must
agree on, is suites/gameboy/state.py).

The environment is a DMG running one corpus ROM from power-on through equiv's own
boot ROM. The emulator is deterministic; the only randomness is the button process
the framework drives, so both sides are lockstep-comparable
(``randomness = "gameboy-deterministic"``).

- action: an int 0..255, the mask of held buttons (bit i = BUTTONS[i]:
  right, left, up, down, a, b, select, start), applied as press/release events
  before the step.
- reset: power-on through equiv's boot ROM; in frame mode followed by PRIME_FRAMES
  rendered frames (the boot ROM's hand-off).
- step: ``mode="frame"``: ``frameskip`` frames (rendering only the last, as
  PyBoy's ``tick(n)`` does); ``mode="instruction"``: one CPU instruction (or
  interrupt dispatch, or halted fast-forward), PyBoy's single-step semantics.
- obs: ``screen`` (144x160 uint8, the red channel of the RGBA framebuffer; the
  full framebuffer is in the state) and ``serial_crc`` (CRC-32 of every byte sent
  over serial since reset / set_state).
- reward / terminated: only the game ROM has them (score delta; game over or win,
  read from its RAM); truncated after ``episode_steps`` steps since reset/set_state.
"""
from __future__ import annotations

import zlib

import numpy as np

from equiv import Adapter, Step
from reference_envs.gameboy import build
from suites.gameboy.state import PRIME_FRAMES, SOUND_EMULATED  # noqa: F401 (re-exported for the two adapters)

MODES = ("frame", "instruction")
# The game ROM's status block (see roms/game.asm).
GAME_STATE, GAME_SCORE, GAME_LIVES = 0xC0A0, 0xC0A1, 0xC0A2
GAME_PLAYING, GAME_LOST, GAME_WON = 0, 1, 2


def corpus_problem() -> str | None:
    problem = build.built_ok()
    if problem:
        return f"{problem}; run ./dev.sh setup (or: python -m reference_envs.gameboy.build)"
    return None


class GameBoyAdapter(Adapter):
    family = "gameboy"
    randomness = "gameboy-deterministic"
    deterministic_step = True  # the emulator draws nothing: a step is a function of state and buttons

    def __init__(self, rom: str = "game", mode: str = "frame", frameskip: int = 1,
                 episode_steps: int = 1000, **config):
        super().__init__(rom=rom, mode=mode, frameskip=frameskip, episode_steps=episode_steps, **config)
        if config:
            raise ValueError(f"unknown gameboy settings {sorted(config)}; known: rom, mode, frameskip, "
                             f"episode_steps")
        if rom not in build.CORPUS or rom == build.BOOT:
            raise ValueError(f"rom={rom!r} is not a corpus cartridge; pick one of "
                             f"{[n for n in build.CORPUS if n != build.BOOT]}")
        if mode not in MODES:
            raise ValueError(f"mode={mode!r}; pick one of {MODES}")
        if int(frameskip) < 1 or int(episode_steps) < 1:
            raise ValueError(f"frameskip ({frameskip}) and episode_steps ({episode_steps}) must be >= 1")
        problem = corpus_problem()
        if problem:
            raise RuntimeError(problem)
        self.rom_name, self.mode = rom, mode
        self.frameskip, self.episode_steps = int(frameskip), int(episode_steps)
        self.rom = build.rom_path(rom).read_bytes()
        self.boot = build.rom_path(build.BOOT).read_bytes()
        self.is_game = rom == "game"
        self._t = 0
        self._crc = 0

    # --- backend hooks (subclasses) ---------------------------------------------
    def _power_on(self) -> None: ...
    def _run_frames(self, mask: int, n: int, render: bool = True) -> None: ...
    def _run_instruction(self, mask: int) -> None: ...
    def _peek(self, addr: int) -> int: ...
    def _screen_rgba(self) -> np.ndarray: ...
    def _serial_new(self) -> bytes: ...
    def _get_machine(self) -> dict: ...
    def _set_machine(self, state: dict) -> None: ...

    def run_frames(self, mask: int, n: int = 1, render: bool = False) -> None:
        """``n`` frames with the buttons of ``mask`` held, on the emulator alone: no observation,
        no reward, unrendered by default. What the family's benchmark times on either side."""
        self._run_frames(int(mask), int(n), render)

    # --- the Adapter contract ------------------------------------------------------
    def reset(self, seed: int):
        self._power_on()
        if self.mode == "frame":
            self._run_frames(0, PRIME_FRAMES)  # see PRIME_FRAMES
        self._t, self._crc = 0, 0
        self._serial_new()
        return self._obs()

    def step(self, action) -> Step:
        mask = self._mask(action)
        score = self._peek(GAME_SCORE) if self.is_game else 0
        if self.mode == "frame":
            self._run_frames(mask, self.frameskip)
        else:
            self._run_instruction(mask)
        self._t += 1
        sent = self._serial_new()
        if sent:
            self._crc = zlib.crc32(sent, self._crc)
        reward, done = 0, False
        if self.is_game:
            reward = (self._peek(GAME_SCORE) - score) & 0xFF
            reward = reward - 256 if reward > 127 else reward
            done = self._peek(GAME_STATE) != GAME_PLAYING
        return Step(self._obs(), np.int32(reward), bool(done), self._t >= self.episode_steps)

    def get_state(self) -> dict:
        state = self._get_machine()
        state["episode_step"] = np.uint32(self._t)
        state["serial_crc"] = np.uint32(self._crc)
        return state

    def set_state(self, state) -> None:
        missing = [k for k in ("episode_step", "serial_crc") if k not in state]
        if missing:
            raise ValueError(f"gameboy state lacks {missing}; build states with get_state() "
                             f"(suites/gameboy/state.py lists the fields)")
        self._set_machine(state)
        self._t, self._crc = int(state["episode_step"]), int(state["serial_crc"])
        self._serial_new()  # bytes sent before the state was injected are not this episode's

    def _obs(self) -> dict:
        return {"screen": np.ascontiguousarray(self._screen_rgba()[:, :, 0]),
                "serial_crc": np.uint32(self._crc)}

    def _mask(self, action) -> int:
        a = np.asarray(action)
        if a.shape != () or a.dtype.kind not in "iub" or not 0 <= int(a) <= 255:
            raise ValueError(f"gameboy action {action!r} must be an int 0..255 (mask of held buttons)")
        return int(a)

    def _provenance(self, name: str, version: str) -> dict:
        import hashlib
        return {"name": name, "version": version, "rom": self.rom_name,
                "rom_sha256": hashlib.sha256(self.rom).hexdigest()[:16],
                "boot_sha256": hashlib.sha256(self.boot).hexdigest()[:16],
                "hash": hashlib.sha256(self.rom + self.boot + version.encode()).hexdigest()[:16],
                "mode": self.mode, "frameskip": self.frameskip}

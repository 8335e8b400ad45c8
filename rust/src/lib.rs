//! EmuRust: a DMG Game Boy emulator that reproduces PyBoy 2.8.1 exactly, quirks included.

pub mod cart;
pub mod gb;
pub mod lcd;
pub mod serial;
pub mod sound;
pub mod state;
pub mod timer;

#[cfg(feature = "python")]
mod python;

pub use gb::GameBoy;

pub const FRAME_CYCLES: u64 = 70224;
/// The reference's "no event" distance (1 << 31 cycles).
pub const MAX_CYCLES: i64 = 1 << 31;

pub const INTR_VBLANK: u8 = 1;
pub const INTR_LCDC: u8 = 2;
pub const INTR_TIMER: u8 = 4;
pub const INTR_SERIAL: u8 = 8;
pub const INTR_JOYPAD: u8 = 16;

//! The parts of PyBoy 2.8.1's APU that change emulation outside audio: its event schedule
//! (which bounds the coordinator's CPU batches, and so where interrupts are checked) and
//! register reads/writes with their read masks. No audio is synthesised; channel
//! length/envelope/sweep timers are not modelled (see rust/README.md).

use crate::state::{StateReader, StateWriter};
use crate::MAX_CYCLES;

const CYCLES_512HZ: f64 = 8192.0;
const CLOCK_RATE: f64 = 4194304.0;
const SAMPLE_RATE: f64 = 48000.0;
/// Past this many cycles the schedule (an absolute cycle number, a PyBoy quirk) is always
/// later than the LCD's next event (at most one frame away), so it stops mattering.
const SCHEDULE_HORIZON: u64 = 1 << 20;

#[derive(Clone)]
pub struct Sound {
    pub emulate: bool,
    pub cycles: u64,
    pub last_cycles: u64,
    pub cycles_target: f64,
    pub cycles_target_512hz: f64,
    pub cycles_to_interrupt: i64,
    pub poweron: u8,
    pub div_apu: u64,
    pub div_apu_counter: u64,
    pub apu_poweron_after_div_write: bool,
    /// NR10..NR51 as written (index = address - 0xFF10).
    pub regs: [u8; 0x16],
    pub wave: [u8; 16],
}

#[inline]
fn ceil_u64(x: f64) -> i64 {
    x.ceil() as i64
}

impl Sound {
    pub fn new(emulate: bool) -> Sound {
        let cycles_per_sample = CLOCK_RATE / SAMPLE_RATE;
        let (ct, ct512, cti) = if emulate {
            (cycles_per_sample, CYCLES_512HZ, ceil_u64(cycles_per_sample.min(CYCLES_512HZ)))
        } else {
            (MAX_CYCLES as f64, MAX_CYCLES as f64, MAX_CYCLES)
        };
        Sound {
            emulate,
            cycles: 0,
            last_cycles: 0,
            cycles_target: ct,
            cycles_target_512hz: ct512,
            cycles_to_interrupt: cti,
            poweron: 0,
            div_apu: 3,
            div_apu_counter: 0,
            apu_poweron_after_div_write: false,
            regs: [0; 0x16],
            wave: [0xFF; 16],
        }
    }

    fn tick_frame_sequencer(&mut self) {
        if self.div_apu_counter == 2 || self.div_apu_counter == 5 {
            self.div_apu_counter = 1;
            return;
        }
        if self.div_apu_counter == 1 {
            self.div_apu_counter = 3;
        } else {
            self.div_apu += 1;
        }
    }

    #[inline]
    pub fn tick(&mut self, now: u64) {
        let cycles = now.wrapping_sub(self.last_cycles);
        self.last_cycles = now;
        if !self.emulate {
            return;
        }
        self.cycles = self.cycles.wrapping_add(cycles);
        if self.cycles > SCHEDULE_HORIZON {
            // Only a lower bound matters from here on; skip the per-sample bookkeeping.
            self.cycles_to_interrupt = self.cycles.min(i64::MAX as u64) as i64;
            return;
        }
        let now = self.cycles as f64;
        while now >= self.cycles_target_512hz {
            self.tick_frame_sequencer();
            self.cycles_target_512hz += CYCLES_512HZ;
        }
        let cps = CLOCK_RATE / SAMPLE_RATE;
        while now >= self.cycles_target {
            self.cycles_target += cps;
        }
        self.cycles_to_interrupt = ceil_u64(self.cycles_target.min(self.cycles_target_512hz));
    }

    /// DIV was written; `edge` is whether DIV bit 4 was set (the APU's clock edge).
    pub fn div_write(&mut self, edge: bool) {
        if self.emulate {
            if edge && (self.poweron != 0 || self.apu_poweron_after_div_write) {
                self.tick_frame_sequencer();
            }
            self.cycles_target_512hz = self.cycles as f64 + CYCLES_512HZ;
        } else {
            self.cycles_target_512hz = MAX_CYCLES as f64;
        }
    }

    pub fn read(&self, offset: usize) -> u8 {
        if !self.emulate {
            return 0;
        }
        let v = if offset < self.regs.len() { self.regs[offset] } else { 0 };
        match offset {
            0x00 => v | 0x80,
            0x01 | 0x06 => (v & 0xC0) | 0x3F,
            0x02 | 0x07 | 0x11 | 0x12 | 0x14 | 0x15 => v,
            0x04 | 0x09 | 0x0E | 0x13 => (v & 0x40) | 0xBF,
            0x0A => (v & 0x80) | 0x7F,
            0x0C => (v & 0x60) | 0x9F,
            0x16 => 0x70 | self.poweron,
            0x20..=0x2F => self.wave[offset - 0x20],
            _ => 0xFF,
        }
    }

    pub fn write(&mut self, offset: usize, value: u8) {
        if !self.emulate {
            return;
        }
        match offset {
            0x00..=0x13 => {
                if self.poweron != 0 {
                    self.regs[offset] = value;
                }
            }
            0x14 | 0x15 => {
                if self.poweron != 0 {
                    self.regs[offset] = value;
                }
            }
            0x16 => {
                if value & 0x80 == 0 {
                    self.regs = [0; 0x16];
                    self.poweron = 0;
                    self.div_apu_counter = 0;
                } else {
                    let was_off = self.poweron == 0;
                    self.poweron = 0x80;
                    if was_off {
                        self.div_apu = 0;
                        self.cycles_target_512hz = self.cycles as f64 + CYCLES_512HZ;
                    }
                }
            }
            0x20..=0x2F => self.wave[offset - 0x20] = value,
            _ => {}
        }
    }

    pub fn save(&self, w: &mut StateWriter) {
        w.bool(self.emulate);
        w.u64(self.cycles);
        w.u64(self.last_cycles);
        w.f64(self.cycles_target);
        w.f64(self.cycles_target_512hz);
        w.i64(self.cycles_to_interrupt);
        w.u8(self.poweron);
        w.u64(self.div_apu);
        w.u64(self.div_apu_counter);
        w.bool(self.apu_poweron_after_div_write);
        w.bytes(&self.regs);
        w.bytes(&self.wave);
    }

    pub fn load(&mut self, r: &mut StateReader) -> Result<(), String> {
        let emulate = r.bool()?;
        if emulate != self.emulate {
            return Err("state was saved with a different sound_emulated setting; construct the emulator with the same setting".into());
        }
        self.cycles = r.u64()?;
        self.last_cycles = r.u64()?;
        self.cycles_target = r.f64()?;
        self.cycles_target_512hz = r.f64()?;
        self.cycles_to_interrupt = r.i64()?;
        self.poweron = r.u8()?;
        self.div_apu = r.u64()?;
        self.div_apu_counter = r.u64()?;
        self.apu_poweron_after_div_write = r.bool()?;
        r.bytes_into(&mut self.regs)?;
        r.bytes_into(&mut self.wave)?;
        Ok(())
    }
}

//! Serial port with no link partner, as PyBoy 2.8.1 models it: SB always reads 0xFF, an
//! internal-clock transfer finishes after 8 * 128 cycles and raises the serial interrupt.

use crate::state::{StateReader, StateWriter};
use crate::MAX_CYCLES;

const CYCLES_8192HZ: u64 = 128;

#[derive(Clone)]
pub struct Serial {
    pub sb: u8,
    pub sc: u8,
    pub transfer_enabled: bool,
    pub internal_clock: bool,
    pub cycles_to_interrupt: i64,
    pub last_cycles: u64,
    pub clock: u64,
    pub clock_target: u64,
}

impl Default for Serial {
    fn default() -> Self {
        Serial {
            sb: 0xFF,
            sc: 0b0111_1110,
            transfer_enabled: false,
            internal_clock: false,
            cycles_to_interrupt: 0,
            last_cycles: 0,
            clock: 0,
            clock_target: MAX_CYCLES as u64,
        }
    }
}

impl Serial {
    pub fn set_sb(&mut self, _value: u8) {
        self.sb = 0xFF;
    }

    pub fn set_sc(&mut self, value: u8) {
        self.sc = value | 0b0111_1110;
        self.transfer_enabled = self.sc & 0x80 != 0;
        self.internal_clock = self.sc & 1 != 0;
        if self.internal_clock {
            self.clock_target = self.clock + 8 * CYCLES_8192HZ;
            self.cycles_to_interrupt = (self.clock_target - self.clock) as i64;
        } else {
            self.transfer_enabled = false;
            self.clock_target = MAX_CYCLES as u64;
            self.cycles_to_interrupt = MAX_CYCLES;
        }
    }

    #[inline]
    pub fn tick(&mut self, now: u64) -> bool {
        let cycles = now.wrapping_sub(self.last_cycles);
        if cycles == 0 {
            return false;
        }
        self.last_cycles = now;
        self.clock = self.clock.wrapping_add(cycles);
        let mut interrupt = false;
        if self.transfer_enabled && self.clock >= self.clock_target {
            self.sc &= 0x7F;
            self.transfer_enabled = false;
            self.clock_target = MAX_CYCLES as u64;
            interrupt = true;
        }
        self.cycles_to_interrupt = if self.transfer_enabled {
            self.clock_target.wrapping_sub(self.clock) as i64
        } else {
            MAX_CYCLES
        };
        interrupt
    }

    pub fn save(&self, w: &mut StateWriter) {
        w.u8(self.sb);
        w.u8(self.sc);
        w.bool(self.transfer_enabled);
        w.bool(self.internal_clock);
        w.i64(self.cycles_to_interrupt);
        w.u64(self.last_cycles);
        w.u64(self.clock);
        w.u64(self.clock_target);
    }

    pub fn load(&mut self, r: &mut StateReader) -> Result<(), String> {
        self.sb = r.u8()?;
        self.sc = r.u8()?;
        self.transfer_enabled = r.bool()?;
        self.internal_clock = r.bool()?;
        self.cycles_to_interrupt = r.i64()?;
        self.last_cycles = r.u64()?;
        self.clock = r.u64()?;
        self.clock_target = r.u64()?;
        Ok(())
    }
}

//! DIV/TIMA/TMA/TAC, caught up lazily to the CPU's cycle count like PyBoy 2.8.1's Timer.

use crate::state::{StateReader, StateWriter};
use crate::MAX_CYCLES;

const DIVIDERS: [u32; 4] = [10, 4, 6, 8];

#[derive(Clone, Default)]
pub struct Timer {
    pub div: u64,
    pub tima: u64,
    pub div_counter: u64,
    pub tima_counter: u64,
    pub tma: u64,
    pub tac: u64,
    pub tima_reload_state: u8,
    pub cycles_to_interrupt: i64,
    pub last_cycles: u64,
}

#[inline(always)]
fn timer_bit(tac: u64) -> u64 {
    1u64 << (DIVIDERS[(tac & 3) as usize] - 1)
}

impl Timer {
    pub fn reset(&mut self) {
        if self.tac & 4 != 0 && self.div_counter & timer_bit(self.tac) != 0 {
            self.increase_tima();
        }
        self.div_counter = 0;
        self.div = 0;
    }

    fn increase_tima(&mut self) {
        self.tima += 1;
        if self.tima > 0xFF {
            self.tima = self.tma;
            self.tima_reload_state = 1;
            self.tima_counter = 4;
        }
    }

    pub fn write_tima(&mut self, value: u8) {
        if self.tima_reload_state != 2 {
            self.tima = value as u64;
        }
    }

    pub fn write_tma(&mut self, value: u8) {
        self.tma = value as u64;
        if self.tima_reload_state != 0 {
            self.tima = value as u64;
        }
    }

    pub fn write_tac(&mut self, value: u8) {
        let value = value as u64;
        let old_bit = timer_bit(self.tac);
        let new_bit = timer_bit(value);
        if self.tac & 4 != 0 && self.div_counter & old_bit != 0 && (value & 4 == 0 || self.div_counter & new_bit == 0) {
            self.increase_tima();
        }
        self.tac = value & 7;
    }

    pub fn read_tima(&self) -> u8 {
        if self.tima_reload_state == 1 {
            0
        } else {
            self.tima as u8
        }
    }

    /// Advance to absolute cycle count `now`; true when TIMA's reload raises the interrupt.
    #[inline]
    pub fn tick(&mut self, now: u64) -> bool {
        let mut cycles = now.wrapping_sub(self.last_cycles);
        if cycles == 0 {
            return false;
        }
        self.last_cycles = now;
        let bit = timer_bit(self.tac);

        if self.tima_reload_state == 0 {
            if self.tac & 4 != 0 {
                let period = bit * 2;
                let mask = period - 1;
                let start = self.div_counter;
                let end = start + cycles;
                let increases = (end.wrapping_sub(1).wrapping_sub(mask).wrapping_add(period)) / period
                    - (start.wrapping_sub(1).wrapping_sub(mask).wrapping_add(period)) / period;
                if self.tima + increases <= 0xFF {
                    self.tima += increases;
                    self.div_counter = end & 0xFFFF;
                    self.div = self.div_counter >> 8;
                    let next_edge = ((self.div_counter & !(period - 1)) + period) - self.div_counter;
                    self.cycles_to_interrupt = (next_edge + (0xFF - self.tima) * period) as i64;
                    return false;
                }
            } else {
                self.div_counter = (self.div_counter + cycles) & 0xFFFF;
                self.div = self.div_counter >> 8;
                self.cycles_to_interrupt = MAX_CYCLES;
                return false;
            }
        }

        // Slow path: one cycle at a time while a reload is pending or TIMA overflows.
        let mut ret = false;
        while cycles > 0 {
            if self.tima_reload_state != 0 {
                self.tima_counter = self.tima_counter.wrapping_sub(1);
                if self.tima_counter == 0 {
                    if self.tima_reload_state == 1 {
                        self.tima_reload_state = 2;
                        self.tima_counter = 4;
                        ret = true;
                    } else {
                        self.tima_reload_state = 0;
                    }
                }
            }
            let counter = self.div_counter & 0xFFFF;
            let new_counter = (counter + 1) & 0xFFFF;
            if self.tac & 4 != 0 && counter & bit != 0 && new_counter & bit == 0 {
                self.increase_tima();
            }
            self.div_counter = new_counter;
            self.div = new_counter >> 8;
            cycles -= 1;
        }
        if self.tac & 4 != 0 {
            let period = bit * 2;
            let next_edge = ((self.div_counter & !(period - 1)) + period) - self.div_counter;
            let mut cti = (next_edge as i64) + (0xFF - self.tima as i64) * period as i64;
            if self.tima_reload_state == 1 {
                cti = cti.min(self.tima_counter as i64);
            }
            self.cycles_to_interrupt = cti;
        } else {
            self.cycles_to_interrupt = MAX_CYCLES;
        }
        ret
    }

    pub fn save(&self, w: &mut StateWriter) {
        for v in [self.div, self.tima, self.div_counter, self.tima_counter, self.tma, self.tac, self.last_cycles] {
            w.u64(v);
        }
        w.u8(self.tima_reload_state);
        w.i64(self.cycles_to_interrupt);
    }

    pub fn load(&mut self, r: &mut StateReader) -> Result<(), String> {
        self.div = r.u64()?;
        self.tima = r.u64()?;
        self.div_counter = r.u64()?;
        self.tima_counter = r.u64()?;
        self.tma = r.u64()?;
        self.tac = r.u64()?;
        self.last_cycles = r.u64()?;
        self.tima_reload_state = r.u8()?;
        self.cycles_to_interrupt = r.i64()?;
        Ok(())
    }
}

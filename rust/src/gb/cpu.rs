//! The SM83 instruction set, run in batches with the CPU's registers and cycle count held in
//! locals (`Cpu`). Every handler is inlined into one dispatch loop, so the registers stay in
//! host registers instead of going through the `GameBoy` struct on every instruction (that
//! round trip, with its partial-width stores read back at full width, cost more than the
//! instructions' own work). Before any access with side effects the registers and the cycle
//! count are written back (`sync`), so the bus sees exactly the state the reference's bus sees.

use super::{GameBoy, Registers, FLAG_C, FLAG_H, FLAG_N, FLAG_Z};
use crate::MAX_CYCLES;

/// One CPU batch's working copy: registers and cycles here, everything else in `gb`.
pub(super) struct Cpu<'a> {
    pub r: Registers,
    pub cycles: i64,
    pub gb: &'a mut GameBoy,
}

/// `match` over every opcode, each arm calling the handler compiled for that opcode.
macro_rules! each_opcode {
    ($op:expr, $s:ident . $f:ident $args:tt; $($n:literal)*) => {
        match $op { $($n => $s.$f::<$n> $args,)* }
    };
}

impl<'a> Cpu<'a> {
    #[inline(always)]
    pub(super) fn new(gb: &'a mut GameBoy) -> Self {
        Cpu { r: gb.r, cycles: gb.cycles, gb }
    }

    /// Write the registers and cycle count back to the motherboard.
    #[inline(always)]
    pub(super) fn sync(&mut self) {
        self.gb.r = self.r;
        self.gb.cycles = self.cycles;
    }

    /// Instructions until the cycle count reaches `target`, or the batch must stop (HALT, a
    /// ROM write, an interrupt let through by EI/RETI, an illegal opcode), then write back.
    #[inline(always)]
    pub(super) fn run(mut self, target: i64) {
        self.batch(target);
        self.sync();
    }

    /// Lazy passes (`GameBoy::lazy_pass`) one after another while each batch starts quiet: CPU
    /// awake, no interrupt requested that IE lets through, none queued, EI's delay not running,
    /// no OAM DMA, sound not emulated. The reference's interrupt check then changes nothing,
    /// so a pass is the batch, the timer and serial caught up when due, and the LCD ticked,
    /// and the registers stay here from pass to pass. Returns whether any pass ran (stops at
    /// the frame's end or at the first batch that does not start quiet).
    #[inline(always)]
    pub(super) fn quiet_passes(mut self) -> bool {
        let mut ran = false;
        loop {
            let gb = &mut *self.gb;
            if gb.halted
                || gb.int_queued
                || gb.ie_delay != 0
                || gb.if_reg & gb.ie_reg & 0x1F != 0
                || gb.oam_dma_active
                || gb.sound.emulate
                || gb.lcd.frame_done
                || gb.illegal.is_some()
            {
                break;
            }
            let now = self.cycles as u64;
            let far = if gb.others_at == u64::MAX { MAX_CYCLES } else { gb.others_at.wrapping_sub(now) as i64 };
            let target = far
                .min(gb.lcd.cycles_to_interrupt)
                .min(gb.lcd.cycles_to_frame)
                .min(gb.sound.cycles_to_interrupt)
                .max(4);
            // `cpu_tick`'s start when the interrupt check finds nothing
            gb.int_queued = false;
            gb.bail = false;
            gb.attention = false;
            self.batch(self.cycles + target);
            ran = true;
            // `lazy_pass`'s end (sound not emulated)
            let gb = &mut *self.gb;
            if gb.oam_dma_active && !gb.oam_dma_reading {
                gb.r = self.r;
                gb.cycles = self.cycles;
                gb.sync_oam_dma(0);
            }
            let now = self.cycles as u64;
            if gb.timer_dirty || gb.serial_dirty || now >= gb.due_at {
                gb.catch_up_others(now);
            }
            let f = gb.lcd.tick(now);
            gb.if_reg |= f;
            gb.pass_end = now;
        }
        self.sync();
        ran
    }

    /// The instruction loop of one batch; EI's delay is counted down after each instruction,
    /// as the reference does.
    #[inline(always)]
    fn batch(&mut self, target: i64) {
        while self.cycles < target {
            let (op, b1, b2) = self.fetch();
            self.dispatch(op, b1, b2);
            // one test for the rare cases: the batch must stop, or EI's delay is running
            let gb = &mut *self.gb;
            if gb.attention {
                if gb.ie_delay != 0 {
                    gb.ie_delay -= 1;
                    if gb.ie_delay == 0 {
                        gb.ime = true;
                        gb.bail = gb.if_reg & gb.ie_reg & 0x1F != 0;
                    }
                }
                if gb.bail {
                    break;
                }
                gb.attention = gb.ie_delay != 0;
            }
        }
    }

    #[inline(always)]
    fn dispatch(&mut self, op: u8, b1: u8, b2: u8) {
        each_opcode!(op, self.exec(b1, b2); 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157 158 159 160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179 180 181 182 183 184 185 186 187 188 189 190 191 192 193 194 195 196 197 198 199 200 201 202 203 204 205 206 207 208 209 210 211 212 213 214 215 216 217 218 219 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255)
    }

    #[inline(always)]
    fn dispatch_cb(&mut self, op: u8) {
        each_opcode!(op, self.exec_cb(); 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157 158 159 160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179 180 181 182 183 184 185 186 187 188 189 190 191 192 193 194 195 196 197 198 199 200 201 202 203 204 205 206 207 208 209 210 211 212 213 214 215 216 217 218 219 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255)
    }

    /// The opcode at PC and the two bytes after it, read as the reference's fetch does. The
    /// motherboard's ROM window (see `GameBoy::open_code_window`) is read from it each time,
    /// not held in locals: the loop's locals are the registers, and more of them would spill.
    #[inline(always)]
    fn fetch(&mut self) -> (u8, u8, u8) {
        let pc = self.r.pc;
        let gb = &*self.gb;
        let i = pc.wrapping_sub(gb.code_lo);
        if i < gb.code_len {
            debug_assert!(gb.code_base + gb.code_len as usize + 1 < gb.cart.rom.len());
            // SAFETY: an open window has every PC's three bytes in bounds
            // (code_base + code_len + 1 < rom.len()); bank switches and state loads close it.
            unsafe {
                let p = gb.cart.rom.as_ptr().add(gb.code_base + i as usize);
                (*p, *p.add(1), *p.add(2))
            }
        } else if (0xC000..=0xDFFD).contains(&pc) {
            // Work RAM: no side effects, so all three bytes at once (unused ones are ignored).
            let i = (pc - 0xC000) as usize;
            let w = &gb.wram[i..i + 3];
            (w[0], w[1], w[2])
        } else {
            self.sync();
            self.gb.fetch_outside_window(pc) // may open the ROM window
        }
    }

    // ------------------------------------------------------------------ bus

    /// A CPU-side read: work RAM and high RAM directly (no side effects), the rest through the
    /// motherboard's bus with the registers and cycles written back first.
    #[inline(always)]
    fn read(&mut self, addr: u16) -> u8 {
        if addr & 0xE000 == 0xC000 {
            return self.gb.wram[(addr & 0x1FFF) as usize];
        }
        if addr >= 0xFF80 && addr != 0xFFFF {
            return self.gb.hram[(addr - 0xFF80) as usize];
        }
        self.sync();
        self.gb.read_bus(addr)
    }

    /// A CPU-side write, as `read`.
    #[inline(always)]
    fn write(&mut self, addr: u16, value: u8) {
        if addr & 0xE000 == 0xC000 {
            self.gb.wram[(addr & 0x1FFF) as usize] = value;
            return;
        }
        if addr >= 0xFF80 && addr != 0xFFFF {
            self.gb.hram[(addr - 0xFF80) as usize] = value;
            return;
        }
        self.sync();
        self.gb.write_bus(addr, value);
    }

    #[inline(always)]
    fn read_io(&mut self, addr: u16) -> u8 {
        self.sync();
        self.gb.read_io(addr)
    }

    #[inline(always)]
    fn write_io(&mut self, addr: u16, value: u8) {
        self.sync();
        self.gb.write_io(addr, value);
    }

    // ------------------------------------------------------------------ registers


    #[inline(always)]
    fn h(&self) -> u8 {
        (self.r.hl >> 8) as u8
    }
    #[inline(always)]
    fn l(&self) -> u8 {
        self.r.hl as u8
    }
    #[inline(always)]
    fn set_h(&mut self, v: u8) {
        self.r.hl = (self.r.hl & 0x00FF) | ((v as u16) << 8);
    }
    #[inline(always)]
    fn set_l(&mut self, v: u8) {
        self.r.hl = (self.r.hl & 0xFF00) | v as u16;
    }
    #[inline(always)]
    fn bc(&self) -> u16 {
        ((self.r.b as u16) << 8) | self.r.c as u16
    }
    #[inline(always)]
    fn de(&self) -> u16 {
        ((self.r.d as u16) << 8) | self.r.e as u16
    }
    #[inline(always)]
    fn set_bc(&mut self, v: u16) {
        self.r.b = (v >> 8) as u8;
        self.r.c = v as u8;
    }
    #[inline(always)]
    fn set_de(&mut self, v: u16) {
        self.r.d = (v >> 8) as u8;
        self.r.e = v as u8;
    }

    /// Register by the opcode's 3-bit index (6 = (HL) is handled by callers).
    #[inline(always)]
    fn reg(&self, i: u8) -> u8 {
        match i {
            0 => self.r.b,
            1 => self.r.c,
            2 => self.r.d,
            3 => self.r.e,
            4 => self.h(),
            5 => self.l(),
            _ => self.r.a,
        }
    }
    #[inline(always)]
    fn set_reg(&mut self, i: u8, v: u8) {
        match i {
            0 => self.r.b = v,
            1 => self.r.c = v,
            2 => self.r.d = v,
            3 => self.r.e = v,
            4 => self.set_h(v),
            5 => self.set_l(v),
            _ => self.r.a = v,
        }
    }

    // ALU helpers: each sets F exactly as the reference's generated code does.
    #[inline(always)]
    fn alu(&mut self, op: u8, b: u8) {
        let a = self.r.a;
        let f = self.r.f;
        match op {
            0 | 1 => {
                let c = if op == 1 && f & FLAG_C != 0 { 1 } else { 0 };
                let t = a as u16 + b as u16 + c;
                let mut fl = 0;
                if t & 0xFF == 0 {
                    fl |= FLAG_Z;
                }
                if (a & 0xF) as u16 + (b & 0xF) as u16 + c > self.gb.edges.add_half {
                    fl |= FLAG_H;
                }
                if t > 0xFF {
                    fl |= FLAG_C;
                }
                self.r.f = fl;
                self.r.a = t as u8;
            }
            2 | 3 | 7 => {
                let c = if op == 3 && f & FLAG_C != 0 { 1 } else { 0 };
                let t = a as i16 - b as i16 - c;
                let mut fl = FLAG_N;
                if t & 0xFF == 0 {
                    fl |= FLAG_Z;
                }
                if (a & 0xF) as i16 - (b & 0xF) as i16 - c < 0 {
                    fl |= FLAG_H;
                }
                if t < self.gb.edges.sub_borrow {
                    fl |= FLAG_C;
                }
                self.r.f = fl;
                if op != 7 {
                    self.r.a = t as u8;
                }
            }
            4 => {
                let t = a & b;
                self.r.f = FLAG_H | if t == 0 { FLAG_Z } else { 0 };
                self.r.a = t;
            }
            5 => {
                let t = a ^ b;
                self.r.f = if t == 0 { FLAG_Z } else { 0 };
                self.r.a = t;
            }
            _ => {
                let t = a | b;
                self.r.f = if t == 0 { FLAG_Z } else { 0 };
                self.r.a = t;
            }
        }
    }

    #[inline(always)]
    fn inc8(&mut self, a: u8) -> u8 {
        let t = a.wrapping_add(1);
        let mut fl = self.r.f & FLAG_C;
        if t == 0 {
            fl |= FLAG_Z;
        }
        if a & 0xF >= self.gb.edges.inc_half {
            fl |= FLAG_H;
        }
        self.r.f = fl;
        t
    }

    #[inline(always)]
    fn dec8(&mut self, a: u8) -> u8 {
        let t = a.wrapping_sub(1);
        let mut fl = (self.r.f & FLAG_C) | FLAG_N;
        if t == 0 {
            fl |= FLAG_Z;
        }
        if a & 0xF == 0 {
            fl |= FLAG_H;
        }
        self.r.f = fl;
        t
    }

    #[inline(always)]
    fn add_hl(&mut self, b: u16) {
        let a = self.r.hl;
        let t = a as u32 + b as u32;
        let mut fl = self.r.f & FLAG_Z;
        if (a & 0xFFF) + (b & 0xFFF) > 0xFFF {
            fl |= FLAG_H;
        }
        if t > 0xFFFF {
            fl |= FLAG_C;
        }
        self.r.f = fl;
        self.r.hl = t as u16;
    }

    #[inline(always)]
    fn sp_plus(&mut self, v: u8) -> u16 {
        let sp = self.r.sp;
        let mut fl = 0;
        if (sp & 0xF) + (v as u16 & 0xF) > 0xF {
            fl |= FLAG_H;
        }
        if (sp & 0xFF) + v as u16 > self.gb.edges.sp_carry {
            fl |= FLAG_C;
        }
        self.r.f = fl;
        sp.wrapping_add(v as i8 as u16)
    }

    #[inline(always)]
    fn push_word(&mut self, v: u16) {
        // PyBoy: 8 cycles, high byte, 4 cycles, low byte (callers add the rest).
        self.cycles += 8;
        self.write(self.r.sp.wrapping_sub(1), (v >> 8) as u8);
        self.cycles += 4;
        self.write(self.r.sp.wrapping_sub(2), v as u8);
        self.r.sp = self.r.sp.wrapping_sub(2);
    }

    #[inline(always)]
    fn pop_word(&mut self) -> u16 {
        // Low byte, 4 cycles, high byte (callers add the rest).
        let lo = self.read(self.r.sp) as u16;
        self.cycles += 4;
        let hi = self.read(self.r.sp.wrapping_add(1)) as u16;
        self.r.sp = self.r.sp.wrapping_add(2);
        (hi << 8) | lo
    }

    #[inline(always)]
    fn cond(&self, op: u8) -> bool {
        match (op >> 3) & 3 {
            0 => self.r.f & FLAG_Z == 0,
            1 => self.r.f & FLAG_Z != 0,
            2 => self.r.f & FLAG_C == 0,
            _ => self.r.f & FLAG_C != 0,
        }
    }

    #[inline(always)]
    fn next(&mut self, len: u16, cycles: i64) {
        self.r.pc = self.r.pc.wrapping_add(len);
        self.cycles += cycles;
    }

    /// Opcode OP with its operand bytes; one instance per opcode (see `dispatch`), so every
    /// register index and branch below is decided at compile time.
    #[inline(always)]
    fn exec<const OP: u8>(&mut self, b1: u8, b2: u8) {
        let op = OP;
        let d16 = ((b2 as u16) << 8) | b1 as u16;
        match op {
            0xCB => self.dispatch_cb(b1),
            0x00 => self.next(1, 4),
            0x01 => {
                self.set_bc(d16);
                self.next(3, 12)
            }
            0x11 => {
                self.set_de(d16);
                self.next(3, 12)
            }
            0x21 => {
                self.r.hl = d16;
                self.next(3, 12)
            }
            0x31 => {
                self.r.sp = d16;
                self.next(3, 12)
            }
            0x02 => {
                self.write(self.bc(), self.r.a);
                self.next(1, 8)
            }
            0x12 => {
                self.gb.mao = 4;
                self.write(self.de(), self.r.a);
                self.gb.mao = 0;
                self.next(1, 8)
            }
            0x22 => {
                self.write(self.r.hl, self.r.a);
                self.r.hl = self.r.hl.wrapping_add(1);
                self.next(1, 8)
            }
            0x32 => {
                self.write(self.r.hl, self.r.a);
                self.r.hl = self.r.hl.wrapping_sub(1);
                self.next(1, 8)
            }
            0x0A => {
                self.r.a = self.read(self.bc());
                self.next(1, 8)
            }
            0x1A => {
                self.gb.mao = 4;
                self.r.a = self.read(self.de());
                self.gb.mao = 0;
                self.next(1, 8)
            }
            0x2A => {
                self.r.a = self.read(self.r.hl);
                self.r.hl = self.r.hl.wrapping_add(1);
                self.next(1, 8)
            }
            0x3A => {
                self.r.a = self.read(self.r.hl);
                self.r.hl = self.r.hl.wrapping_sub(1);
                self.next(1, 8)
            }
            0x03 => {
                self.set_bc(self.bc().wrapping_add(1));
                self.next(1, 8)
            }
            0x13 => {
                self.set_de(self.de().wrapping_add(1));
                self.next(1, 8)
            }
            0x23 => {
                self.r.hl = self.r.hl.wrapping_add(1);
                self.next(1, 8)
            }
            0x33 => {
                self.r.sp = self.r.sp.wrapping_add(1);
                self.next(1, 8)
            }
            0x0B => {
                self.set_bc(self.bc().wrapping_sub(1));
                self.next(1, 8)
            }
            0x1B => {
                self.set_de(self.de().wrapping_sub(1));
                self.next(1, 8)
            }
            0x2B => {
                self.r.hl = self.r.hl.wrapping_sub(1);
                self.next(1, 8)
            }
            0x3B => {
                self.r.sp = self.r.sp.wrapping_sub(1);
                self.next(1, 8)
            }
            0x34 => {
                let a = self.read(self.r.hl);
                let t = self.inc8(a);
                self.cycles += 4;
                self.write(self.r.hl, t);
                self.next(1, 8)
            }
            0x35 => {
                let a = self.read(self.r.hl);
                let t = self.dec8(a);
                self.cycles += 4;
                self.write(self.r.hl, t);
                self.next(1, 8)
            }
            0x04 | 0x0C | 0x14 | 0x1C | 0x24 | 0x2C | 0x3C => {
                let i = op >> 3;
                let t = self.inc8(self.reg(i));
                self.set_reg(i, t);
                self.next(1, 4)
            }
            0x05 | 0x0D | 0x15 | 0x1D | 0x25 | 0x2D | 0x3D => {
                let i = op >> 3;
                let t = self.dec8(self.reg(i));
                self.set_reg(i, t);
                self.next(1, 4)
            }
            0x36 => {
                self.cycles += 4;
                self.write(self.r.hl, b1);
                self.next(2, 8)
            }
            0x06 | 0x0E | 0x16 | 0x1E | 0x26 | 0x2E | 0x3E => {
                self.set_reg(op >> 3, b1);
                self.next(2, 8)
            }
            0x07 => {
                let a = self.r.a;
                self.r.a = a.rotate_left(1);
                self.r.f = if a & 0x80 != 0 { FLAG_C } else { 0 };
                self.next(1, 4)
            }
            0x0F => {
                let a = self.r.a;
                self.r.a = a.rotate_right(1);
                self.r.f = if a & 1 != 0 { FLAG_C } else { 0 };
                self.next(1, 4)
            }
            0x17 => {
                let a = self.r.a;
                self.r.a = (a << 1) | (self.r.f & FLAG_C != 0) as u8;
                self.r.f = if a & 0x80 != 0 { FLAG_C } else { 0 };
                self.next(1, 4)
            }
            0x1F => {
                let a = self.r.a;
                self.r.a = (a >> 1) | (((self.r.f & FLAG_C != 0) as u8) << 7);
                self.r.f = if a & 1 != 0 { FLAG_C } else { 0 };
                self.next(1, 4)
            }
            0x08 => {
                self.write(d16, self.r.sp as u8);
                self.write(d16.wrapping_add(1), (self.r.sp >> 8) as u8);
                self.next(3, 20)
            }
            0x09 => {
                self.add_hl(self.bc());
                self.next(1, 8)
            }
            0x19 => {
                self.add_hl(self.de());
                self.next(1, 8)
            }
            0x29 => {
                self.add_hl(self.r.hl);
                self.next(1, 8)
            }
            0x39 => {
                self.add_hl(self.r.sp);
                self.next(1, 8)
            }
            0x10 => self.next(2, 4), // STOP: a 2-byte NOP on DMG in the reference
            0x18 => {
                self.r.pc = self.r.pc.wrapping_add(2).wrapping_add(b1 as i8 as u16);
                self.cycles += 12;
            }
            0x20 | 0x28 | 0x30 | 0x38 => {
                let pc = self.r.pc.wrapping_add(2);
                if self.cond(op) {
                    self.r.pc = pc.wrapping_add(b1 as i8 as u16);
                    self.cycles += 12;
                } else {
                    self.r.pc = pc;
                    self.cycles += 8;
                }
            }
            0x27 => {
                let f = self.r.f;
                let mut t = self.r.a as i16;
                let mut corr: i16 = 0;
                if f & FLAG_H != 0 {
                    corr |= 0x06;
                }
                if f & FLAG_C != 0 {
                    corr |= 0x60;
                }
                if f & FLAG_N != 0 {
                    t -= corr;
                } else {
                    if t & 0x0F > self.gb.edges.daa_low {
                        corr |= 0x06;
                    }
                    if t > 0x99 {
                        corr |= 0x60;
                    }
                    t += corr;
                }
                let mut fl = f & FLAG_N;
                if t & 0xFF == 0 {
                    fl |= FLAG_Z;
                }
                if corr & 0x60 != 0 {
                    fl |= FLAG_C;
                }
                self.r.f = fl;
                self.r.a = t as u8;
                self.next(1, 4)
            }
            0x2F => {
                self.r.a = !self.r.a;
                self.r.f = (self.r.f & (FLAG_Z | FLAG_C)) | FLAG_N | FLAG_H;
                self.next(1, 4)
            }
            0x37 => {
                self.r.f = (self.r.f & FLAG_Z) | FLAG_C;
                self.next(1, 4)
            }
            0x3F => {
                self.r.f = (self.r.f & FLAG_Z) | ((self.r.f & FLAG_C) ^ FLAG_C);
                self.next(1, 4)
            }
            0x76 => {
                self.gb.halted = true;
                self.gb.halted_during_ei = self.gb.ie_delay == 1;
                self.gb.bail = true;
                self.gb.attention = true;
                self.cycles += 4;
            }
            0x40..=0x7F => {
                let dst = (op >> 3) & 7;
                let src = op & 7;
                if src == 6 {
                    if op == 0x7E {
                        self.gb.mao = 4;
                    }
                    let v = self.read(self.r.hl);
                    self.gb.mao = 0;
                    self.set_reg(dst, v);
                } else if dst == 6 {
                    self.write(self.r.hl, self.reg(src));
                } else {
                    self.set_reg(dst, self.reg(src));
                }
                self.next(1, if src == 6 || dst == 6 { 8 } else { 4 })
            }
            0x80..=0xBF => {
                let src = op & 7;
                if src == 6 {
                    let v = self.read(self.r.hl);
                    self.alu((op >> 3) & 7, v);
                    self.next(1, 8)
                } else {
                    self.alu((op >> 3) & 7, self.reg(src));
                    self.next(1, 4)
                }
            }
            0xC6 | 0xCE | 0xD6 | 0xDE | 0xE6 | 0xEE | 0xF6 | 0xFE => {
                self.alu((op >> 3) & 7, b1);
                self.next(2, 8)
            }
            0xC0 | 0xC8 | 0xD0 | 0xD8 => {
                if self.cond(op) {
                    self.cycles += 8;
                    self.r.pc = self.pop_word();
                    self.cycles += 8;
                } else {
                    self.next(1, 8)
                }
            }
            0xC9 => {
                self.cycles += 4;
                self.r.pc = self.pop_word();
                self.cycles += 8;
            }
            0xD9 => {
                self.gb.ime = true;
                self.gb.ie_delay = 0;
                self.gb.bail = self.gb.if_reg & self.gb.ie_reg & 0x1F != 0;
                self.gb.attention |= self.gb.bail;
                self.cycles += 4;
                self.r.pc = self.pop_word();
                self.cycles += 8;
            }
            0xC1 => {
                let v = self.pop_word();
                self.set_bc(v);
                self.next(1, 8)
            }
            0xD1 => {
                let v = self.pop_word();
                self.set_de(v);
                self.next(1, 8)
            }
            0xE1 => {
                self.r.hl = self.pop_word();
                self.next(1, 8)
            }
            0xF1 => {
                let v = self.pop_word();
                self.r.f = v as u8 & 0xF0;
                self.r.a = (v >> 8) as u8;
                self.next(1, 8)
            }
            0xC5 => {
                self.push_word(self.bc());
                self.next(1, 4)
            }
            0xD5 => {
                self.push_word(self.de());
                self.next(1, 4)
            }
            0xE5 => {
                self.push_word(self.r.hl);
                self.next(1, 4)
            }
            0xF5 => {
                self.push_word(((self.r.a as u16) << 8) | (self.r.f & 0xF0) as u16);
                self.next(1, 4)
            }
            0xC3 => {
                self.r.pc = d16;
                self.cycles += 16;
            }
            0xC2 | 0xCA | 0xD2 | 0xDA => {
                if self.cond(op) {
                    self.r.pc = d16;
                    self.cycles += 16;
                } else {
                    self.next(3, 12)
                }
            }
            0xE9 => {
                self.r.pc = self.r.hl;
                self.cycles += 4;
            }
            0xCD => {
                self.r.pc = self.r.pc.wrapping_add(3);
                self.cycles += 8;
                self.push_word(self.r.pc);
                self.r.pc = d16;
                self.cycles += 4;
            }
            0xC4 | 0xCC | 0xD4 | 0xDC => {
                self.r.pc = self.r.pc.wrapping_add(3);
                if self.cond(op) {
                    self.cycles += 8;
                    self.push_word(self.r.pc);
                    self.r.pc = d16;
                    self.cycles += 4;
                } else {
                    self.cycles += 12;
                }
            }
            0xC7 | 0xCF | 0xD7 | 0xDF | 0xE7 | 0xEF | 0xF7 | 0xFF => {
                self.r.pc = self.r.pc.wrapping_add(1);
                self.push_word(self.r.pc);
                self.r.pc = (op & 0x38) as u16;
                self.cycles += 4;
            }
            0xE0 => {
                self.cycles += 4;
                self.write_io(0xFF00 | b1 as u16, self.r.a);
                self.next(2, 8)
            }
            0xF0 => {
                self.cycles += 4;
                self.r.a = self.read_io(0xFF00 | b1 as u16);
                self.next(2, 8)
            }
            0xE2 => {
                self.write_io(0xFF00 | self.r.c as u16, self.r.a);
                self.next(1, 8)
            }
            0xF2 => {
                self.r.a = self.read_io(0xFF00 | self.r.c as u16);
                self.next(1, 8)
            }
            0xEA => {
                self.cycles += 8;
                self.write(d16, self.r.a);
                self.next(3, 8)
            }
            0xFA => {
                self.cycles += 8;
                self.r.a = self.read(d16);
                self.next(3, 8)
            }
            0xE8 => {
                self.r.sp = self.sp_plus(b1);
                self.next(2, 16)
            }
            0xF8 => {
                self.r.hl = self.sp_plus(b1);
                self.next(2, 12)
            }
            0xF9 => {
                self.r.sp = self.r.hl;
                self.next(1, 8)
            }
            0xF3 => {
                self.gb.ime = false;
                self.gb.ie_delay = 0;
                self.next(1, 4)
            }
            0xFB => {
                if self.gb.ie_delay == 0 {
                    self.gb.ie_delay = 2;
                    self.gb.attention = true;
                }
                self.next(1, 4)
            }
            _ => {
                // Illegal opcodes (and 0xDB, the reference's breakpoint): the reference makes no
                // progress and hangs; we stop the batch and report it.
                self.gb.illegal = Some((self.r.pc, op));
                self.gb.bail = true;
                self.gb.attention = true;
            }
        }
    }

    /// CB-prefixed opcode OP (one instance per opcode, see `dispatch_cb`).
    #[inline(always)]
    fn exec_cb<const OP: u8>(&mut self) {
        let op = OP;
        let i = op & 7;
        let group = op >> 6;
        let n = (op >> 3) & 7;
        if group == 1 {
            // BIT n
            let v = if i == 6 {
                self.cycles += 4;
                self.read(self.r.hl)
            } else {
                self.reg(i)
            };
            self.r.f = (self.r.f & FLAG_C) | FLAG_H | if v & (1 << n) == 0 { FLAG_Z } else { 0 };
            self.next(2, 8);
            return;
        }
        let v = if i == 6 {
            self.cycles += 4;
            self.read(self.r.hl)
        } else {
            self.reg(i)
        };
        let t = match group {
            0 => {
                let cin = (self.r.f & FLAG_C != 0) as u8;
                let (t, c) = match n {
                    0 => (v.rotate_left(1), v >> 7),
                    1 => (v.rotate_right(1), v & 1),
                    2 => ((v << 1) | cin, v >> 7),
                    3 => ((v >> 1) | (cin << 7), v & 1),
                    4 => (v << 1, v >> 7),
                    5 => ((v >> 1) | (v & 0x80), v & 1),
                    6 => (v.rotate_left(4), 0),
                    _ => (v >> 1, v & 1),
                };
                self.r.f = if t == 0 { FLAG_Z } else { 0 } | if c != 0 { FLAG_C } else { 0 };
                t
            }
            2 => v & !(1 << n),
            _ => v | (1 << n),
        };
        if i == 6 {
            self.cycles += 4;
            self.write(self.r.hl, t);
        } else {
            self.set_reg(i, t);
        }
        self.next(2, 8);
    }

}

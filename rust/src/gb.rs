//! The motherboard and SM83 CPU, following PyBoy 2.8.1's timing model: the coordinator
//! runs the CPU in batches up to the next timer/LCD/serial/sound event, the CPU checks
//! interrupts only at the start of a batch, and components are caught up lazily to the
//! CPU's cycle count when their registers are touched.

use crate::cart::Cartridge;
use crate::lcd::Lcd;
use crate::serial::Serial;
use crate::sound::Sound;
use crate::state::{StateReader, StateWriter, MAGIC, VERSION};
use crate::timer::Timer;
mod cpu;

use crate::{INTR_JOYPAD, INTR_LCDC, INTR_SERIAL, INTR_TIMER, MAX_CYCLES};

pub const FLAG_Z: u8 = 0x80;
pub const FLAG_N: u8 = 0x40;
pub const FLAG_H: u8 = 0x20;
pub const FLAG_C: u8 = 0x10;

/// Instruction lengths as the reference's fetch uses them (0 = illegal, 0xDB = its BRK).
pub const OPCODE_LENGTHS: [u8; 256] = [
    1, 3, 1, 1, 1, 1, 2, 1, 3, 1, 1, 1, 1, 1, 2, 1, // 0x
    2, 3, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, // 1x
    2, 3, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, // 2x
    2, 3, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, // 3x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 4x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 5x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 6x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 7x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 8x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 9x
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // Ax
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // Bx
    1, 1, 3, 3, 3, 1, 2, 1, 1, 1, 3, 1, 3, 3, 2, 1, // Cx
    1, 1, 3, 0, 3, 1, 2, 1, 1, 1, 3, 1, 3, 0, 2, 1, // Dx
    2, 1, 1, 0, 0, 1, 2, 1, 2, 1, 3, 0, 0, 0, 2, 1, // Ex
    2, 1, 1, 1, 0, 1, 2, 1, 2, 1, 3, 1, 0, 0, 2, 1, // Fx
];

/// Opcodes the reference cannot execute (it spins forever on them); 0xDB is its breakpoint.
pub fn is_illegal(op: u8) -> bool {
    matches!(
        op,
        0xD3 | 0xDB | 0xDD | 0xE3 | 0xE4 | 0xEB | 0xEC | 0xED | 0xF4 | 0xFC | 0xFD
    )
}

/// A tiny boot ROM (project-built, see rust/README.md): sets the documented DMG post-boot
/// registers, BGP=FC, LCDC=91, then unmaps itself with LDH (0x50),A at 0xFE.
pub fn default_boot_rom() -> [u8; 256] {
    let mut b = [0u8; 256];
    let code: [u8; 28] = [
        0x31, 0xFE, 0xFF, // LD SP,$FFFE
        0x3E, 0xFC, 0xE0, 0x47, // LD A,$FC; LDH (BGP),A
        0x3E, 0x91, 0xE0, 0x40, // LD A,$91; LDH (LCDC),A
        0x01, 0xB0, 0x01, 0xC5, 0xF1, // LD BC,$01B0; PUSH BC; POP AF
        0x01, 0x13, 0x00, // LD BC,$0013
        0x11, 0xD8, 0x00, // LD DE,$00D8
        0x21, 0x4D, 0x01, // LD HL,$014D
        0xC3, 0xFE, 0x00, // JP $00FE
    ];
    b[..code.len()].copy_from_slice(&code);
    b[0xFE] = 0xE0; // LDH ($50),A with A=1
    b[0xFF] = 0x50;
    b
}

/// A canonical state field: an integer or a byte string.
pub enum Field {
    U(u64),
    B(Vec<u8>),
}

#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Registers {
    pub a: u8,
    pub f: u8,
    pub b: u8,
    pub c: u8,
    pub d: u8,
    pub e: u8,
    pub hl: u16,
    pub sp: u16,
    pub pc: u16,
}

/// The thresholds at which flag decisions flip, as data so that tests can move one by a
/// single value and show the gate catches such a port (`mutate`); the defaults are the
/// reference's. Not part of any saved state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edges {
    /// H of ADD/ADC: set when the low nibbles (with carry) sum above this.
    pub add_half: u16,
    /// C of SUB/SBC/CP: set when the difference (with carry) is below this.
    pub sub_borrow: i16,
    /// DAA after an addition: a low nibble above this is corrected by 6.
    pub daa_low: i16,
    /// C of ADD SP,e / LD HL,SP+e: set when the low bytes sum above this.
    pub sp_carry: u16,
    /// H of INC: set when the low nibble is at least this.
    pub inc_half: u8,
}

impl Default for Edges {
    fn default() -> Self {
        Edges {
            add_half: 0xF,
            sub_borrow: 0,
            daa_low: 9,
            sp_carry: 0xFF,
            inc_half: 0xF,
        }
    }
}

/// Test-only ports with one flag edge moved by one value: (name, what changes).
pub const MUTANTS: [(&str, &str); 5] = [
    (
        "add_half_carry_above_0x10",
        "ADD/ADC: H when the low nibbles sum above 0x10 (not 0x0F)",
    ),
    (
        "sub_borrow_on_equal",
        "SUB/SBC/CP: C also when the difference is 0",
    ),
    (
        "daa_low_above_0xA",
        "DAA after an addition: +6 only when the low nibble is above 0xA (not 9)",
    ),
    (
        "add_sp_carry_above_0x100",
        "ADD SP,e / LD HL,SP+e: C when the low bytes sum above 0x100 (not 0xFF)",
    ),
    (
        "inc_half_carry_from_0xE",
        "INC: H when the low nibble is 0xE or 0xF (not only 0xF)",
    ),
];

#[derive(Clone)]
pub struct GameBoy {
    // CPU
    pub r: Registers,
    pub ime: bool,
    pub ie_delay: u8,
    pub halted: bool,
    pub halted_during_ei: bool,
    pub stopped: bool,
    pub int_queued: bool,
    pub if_reg: u8,
    pub ie_reg: u8,
    pub cycles: i64,
    pub bail: bool,
    /// Set with `bail` and while EI's delay runs: the one flag the CPU loop tests.
    attention: bool,
    pub mao: u8,
    /// Set when the CPU met an opcode the reference cannot execute (it would hang).
    pub illegal: Option<(u16, u8)>,
    // Motherboard
    pub cart: Cartridge,
    pub boot: [u8; 256],
    pub bootrom_enabled: bool,
    pub wram: [u8; 0x2000],
    pub hram: [u8; 0x7F],
    pub unusable: [u8; 0x60],
    pub io_ports: [u8; 0x4C],
    pub lcd: Lcd,
    pub timer: Timer,
    pub serial: Serial,
    pub sound: Sound,
    pub joy_directional: u8,
    pub joy_standard: u8,
    /// PyBoy's serial capture: a 1 KiB ring whose count wraps (bytes since the last read).
    pub serial_buffer: [u8; 1024],
    pub serial_count: u16,
    pub oam_dma_active: bool,
    pub oam_dma_reading: bool,
    pub oam_dma_source: u8,
    pub oam_dma_index: u8,
    pub oam_dma_start_cycle: i64,
    pub frame_count: u64,
    pub buttons: u8,
    pub edges: Edges,
    /// Frame loop bookkeeping (never saved): the cycle the last coordinator pass ended at, and
    /// whether a timer / serial register write since then left their event distances stale.
    /// Between passes the timer, serial and (unemulated) sound are caught up only when due,
    /// read, written, or at the frame's end; see `run_frame`.
    pass_end: u64,
    timer_dirty: bool,
    serial_dirty: bool,
    /// The timer's and serial port's next event (absolute cycle) and when to catch them up next
    /// (see `others_due`): kept between passes, since only their own events and register writes
    /// move them (a read catches up, which does not move an event).
    others_at: u64,
    due_at: u64,
    /// The ROM fetch window (see `open_code_window`; empty when `code_len` is 0).
    code_lo: u16,
    code_len: u16,
    code_base: usize,
}

/// Button bit order for masks: right, left, up, down, a, b, select, start = bits 0..7.
pub const BUTTON_NAMES: [&str; 8] = ["right", "left", "up", "down", "a", "b", "select", "start"];

impl GameBoy {
    pub fn new(
        rom: &[u8],
        boot_rom: Option<&[u8]>,
        sound_emulated: bool,
    ) -> Result<GameBoy, String> {
        let cart = Cartridge::new(rom)?;
        if rom[0x143] & 0x80 != 0 {
            // PyBoy would pick CGB mode for this header unless told cgb=False; we are DMG only.
        }
        let boot = match boot_rom {
            None => default_boot_rom(),
            Some(b) => {
                if b.len() != 256 {
                    return Err(format!(
                        "boot ROM must be 256 bytes (a DMG boot ROM), got {}; pass None to use the built-in one",
                        b.len()
                    ));
                }
                let mut a = [0u8; 256];
                a.copy_from_slice(b);
                a
            }
        };
        Ok(GameBoy {
            r: Registers::default(),
            ime: false,
            ie_delay: 0,
            halted: false,
            halted_during_ei: false,
            stopped: false,
            int_queued: false,
            if_reg: 0,
            ie_reg: 0,
            cycles: 0,
            bail: false,
            attention: false,
            mao: 0,
            illegal: None,
            cart,
            boot,
            bootrom_enabled: true,
            wram: [0; 0x2000],
            hram: [0; 0x7F],
            unusable: [0; 0x60],
            io_ports: [0; 0x4C],
            lcd: Lcd::new(),
            timer: Timer::default(),
            serial: Serial::default(),
            sound: Sound::new(sound_emulated),
            joy_directional: 0x0F,
            joy_standard: 0x0F,
            serial_buffer: [0; 1024],
            serial_count: 0,
            oam_dma_active: false,
            oam_dma_reading: false,
            oam_dma_source: 0,
            oam_dma_index: 0,
            oam_dma_start_cycle: 0,
            frame_count: 0,
            buttons: 0,
            edges: Edges::default(),
            pass_end: 0,
            timer_dirty: true,
            serial_dirty: true,
            code_lo: 0,
            code_len: 0,
            code_base: 0,
            others_at: 0,
            due_at: 0,
        })
    }

    // ------------------------------------------------------------------ registers
    #[inline(always)]
    pub fn set_interrupt_flag(&mut self, flag: u8) {
        self.if_reg |= flag;
    }

    #[inline(always)]
    fn now(&self) -> u64 {
        self.cycles as u64
    }

    // ------------------------------------------------------------------ bus

    /// A CPU-side read (PyBoy's `Motherboard.getitem`), with its side effects. Work RAM and
    /// high RAM have none and are read here directly; everything else goes to `read_bus`.
    #[inline(always)]
    pub fn read(&mut self, addr: u16) -> u8 {
        if addr & 0xE000 == 0xC000 {
            return self.wram[(addr & 0x1FFF) as usize];
        }
        if addr >= 0xFF80 && addr != 0xFFFF {
            return self.hram[(addr - 0xFF80) as usize];
        }
        self.read_bus(addr)
    }

    fn read_bus(&mut self, addr: u16) -> u8 {
        match addr {
            0x0000..=0x3FFF => {
                if self.bootrom_enabled && addr <= 0xFF {
                    self.boot[addr as usize]
                } else {
                    self.cart.read_rom_low(addr)
                }
            }
            0x4000..=0x7FFF => self.cart.read_rom_high(addr),
            0x8000..=0x9FFF => {
                if self.mao != 0 {
                    let f = self.lcd.tick(self.now() + self.mao as u64);
                    self.if_reg |= f;
                    let l = &self.lcd;
                    if l.lcd_enable()
                        && (l.stat.mode == 3
                            || (l.stat.mode == 2
                                && l.clock <= l.clock_target
                                && l.clock_target - l.clock <= 4))
                    {
                        return 0xFF;
                    }
                }
                self.lcd.vram[(addr - 0x8000) as usize]
            }
            0xA000..=0xBFFF => self.cart.read_ram(addr),
            0xC000..=0xDFFF => self.wram[(addr - 0xC000) as usize],
            0xE000..=0xFDFF => self.read(addr - 0x2000),
            0xFE00..=0xFE9F => self.read_oam(addr),
            0xFEA0..=0xFEFF => self.unusable[(addr - 0xFEA0) as usize],
            _ => self.read_io(addr),
        }
    }

    fn read_oam(&mut self, addr: u16) -> u8 {
        if self.mao != 0 && !self.oam_dma_reading {
            let f = self.lcd.tick(self.now() + self.mao as u64);
            self.if_reg |= f;
            if self.lcd.lcd_enable()
                && (self.lcd.stat.mode == 2
                    || self.lcd.stat.mode == 3
                    || self.lcd.is_startup_mode2_delay())
            {
                return 0xFF;
            }
        }
        if self.oam_dma_active && !self.oam_dma_reading {
            self.sync_oam_dma(self.mao);
        }
        let mao = self.mao as i64;
        let mut dma_started = self.cycles + mao >= self.oam_dma_start_cycle;
        if self.oam_dma_active && !self.oam_dma_reading && dma_started && self.r.hl == addr {
            self.sync_oam_dma(self.mao.max(4));
            dma_started = self.cycles + mao >= self.oam_dma_start_cycle;
        }
        if self.oam_dma_active && dma_started && !self.oam_dma_reading {
            return 0xFF;
        }
        self.lcd.oam[(addr - 0xFE00) as usize]
    }

    pub fn read_io(&mut self, addr: u16) -> u8 {
        if self.oam_dma_active && !self.oam_dma_reading {
            self.sync_oam_dma(self.mao);
        }
        match addr {
            0xFF00 => self.io_ports[0],
            0xFF01 | 0xFF02 => {
                if self.serial.tick(self.now()) {
                    self.if_reg |= INTR_SERIAL;
                }
                if addr == 0xFF01 {
                    self.serial.sb
                } else {
                    self.serial.sc
                }
            }
            0xFF03 => 0xFF,
            0xFF04..=0xFF07 => {
                if self.timer.tick(self.now()) {
                    self.if_reg |= INTR_TIMER;
                }
                match addr {
                    0xFF04 => self.timer.div as u8,
                    0xFF05 => self.timer.read_tima(),
                    0xFF06 => self.timer.tma as u8,
                    _ => self.timer.tac as u8 | 0b1111_1000,
                }
            }
            0xFF08..=0xFF0E => 0xFF,
            0xFF0F => self.if_reg | 0b1110_0000,
            0xFF10..=0xFF3F => {
                self.sound.tick(self.now());
                self.sound.read((addr - 0xFF10) as usize)
            }
            0xFF40..=0xFF4B => {
                let f = self.lcd.tick(self.now() + self.mao as u64);
                self.if_reg |= f;
                let l = &mut self.lcd;
                match addr {
                    0xFF40 => l.lcdc,
                    0xFF41 => {
                        let mut v = l.stat.value;
                        if l.stat_mode_override {
                            l.stat_mode_override = false;
                            v &= 0b1111_1100;
                        }
                        v
                    }
                    0xFF42 => l.scy,
                    0xFF43 => l.scx,
                    0xFF44 => l.ly,
                    0xFF45 => l.lyc,
                    0xFF46 => self.oam_dma_source,
                    0xFF47 => l.bgp,
                    0xFF48 => l.obp0,
                    0xFF49 => l.obp1,
                    0xFF4A => l.wy,
                    _ => l.wx,
                }
            }
            0xFF4C..=0xFF7F => 0xFF,
            0xFF80..=0xFFFE => self.hram[(addr - 0xFF80) as usize],
            _ => self.ie_reg,
        }
    }

    /// A CPU-side write (PyBoy's `Motherboard.setitem`); plain RAM directly, the rest via `write_bus`.
    #[inline(always)]
    pub fn write(&mut self, addr: u16, value: u8) {
        if addr & 0xE000 == 0xC000 {
            self.wram[(addr & 0x1FFF) as usize] = value;
            return;
        }
        if addr >= 0xFF80 && addr != 0xFFFF {
            self.hram[(addr - 0xFF80) as usize] = value;
            return;
        }
        self.write_bus(addr, value)
    }

    fn write_bus(&mut self, addr: u16, value: u8) {
        match addr {
            0x0000..=0x7FFF => {
                self.cart.write(addr, value);
                self.drop_code_window();
                self.bail = true;
                self.attention = true;
            }
            0x8000..=0x9FFF => {
                if self.mao != 0 {
                    let f = self.lcd.tick(self.now() + self.mao as u64);
                    self.if_reg |= f;
                    if self.lcd.lcd_enable() && self.lcd.stat.mode == 3 {
                        return;
                    }
                }
                self.lcd.vram[(addr - 0x8000) as usize] = value;
            }
            0xA000..=0xBFFF => self.cart.write(addr, value),
            0xC000..=0xDFFF => self.wram[(addr - 0xC000) as usize] = value,
            0xE000..=0xFDFF => self.write(addr - 0x2000, value),
            0xFE00..=0xFE9F => {
                if self.mao != 0 {
                    let f = self.lcd.tick(self.now() + self.mao as u64);
                    self.if_reg |= f;
                    let l = &self.lcd;
                    let open_startup =
                        l.first_frame && l.clock <= l.clock_target && l.clock_target - l.clock <= 4;
                    if l.lcd_enable() && (l.stat.mode == 3 || (l.stat.mode == 2 && !open_startup)) {
                        return;
                    }
                }
                if self.oam_dma_active && !self.oam_dma_reading {
                    self.sync_oam_dma(self.mao);
                }
                if !self.oam_dma_active {
                    self.lcd.write_oam((addr - 0xFE00) as usize, value);
                }
            }
            0xFEA0..=0xFEFF => self.unusable[(addr - 0xFEA0) as usize] = value,
            _ => self.write_io(addr, value),
        }
    }

    pub fn write_io(&mut self, addr: u16, value: u8) {
        if self.oam_dma_active && !self.oam_dma_reading {
            self.sync_oam_dma(self.mao);
        }
        match addr {
            0xFF00..=0xFF4B => {
                match addr {
                    0xFF00 => self.io_ports[0] = self.joypad_pull(value),
                    0xFF01 | 0xFF02 => {
                        if self.serial.tick(self.now()) {
                            self.if_reg |= INTR_SERIAL;
                        }
                        self.serial_dirty = true;
                        if addr == 0xFF01 {
                            self.serial_buffer[self.serial_count as usize] = value;
                            self.serial_count = (self.serial_count + 1) & 0x3FF;
                            self.serial.set_sb(value);
                        } else {
                            self.serial.set_sc(value);
                        }
                    }
                    0xFF04..=0xFF07 => {
                        if self.timer.tick(self.now()) {
                            self.if_reg |= INTR_TIMER;
                        }
                        self.timer_dirty = true;
                        match addr {
                            0xFF04 => {
                                let edge = self.timer.div & 0x10 != 0;
                                self.sound.tick(self.now());
                                if edge {
                                    self.sound.apu_poweron_after_div_write = true;
                                }
                                self.sound.div_write(edge);
                                self.timer.reset();
                            }
                            0xFF05 => self.timer.write_tima(value),
                            0xFF06 => self.timer.write_tma(value),
                            _ => self.timer.write_tac(value),
                        }
                    }
                    0xFF0F => self.if_reg = value & 0x1F,
                    0xFF10..=0xFF3F => {
                        // The reference reads DIV here as of its last coordinator pass.
                        self.timer_to(self.pass_end);
                        self.sound.tick(self.now());
                        if addr == 0xFF26 && value & 0x80 != 0 && self.sound.poweron == 0 {
                            self.sound.div_apu_counter = if self.sound.apu_poweron_after_div_write
                                && self.timer.div & 0x10 != 0
                            {
                                2
                            } else {
                                0
                            };
                        }
                        self.sound.write((addr - 0xFF10) as usize, value);
                        if addr == 0xFF14 {
                            self.sound.apu_poweron_after_div_write = false;
                        }
                        if addr == 0xFF26 && value & 0x80 != 0 && self.sound.div_apu_counter != 0 {
                            self.sound.div_apu = 1;
                            let to_edge = 0x2000 - (self.timer.div_counter & 0x1FFF);
                            self.sound.cycles_target_512hz = (self.sound.cycles + to_edge) as f64;
                        }
                    }
                    0xFF40..=0xFF4B => {
                        let f = self.lcd.tick(self.now());
                        self.if_reg |= f;
                        match addr {
                            0xFF40 => {
                                let f = self.lcd.set_lcdc(value);
                                self.if_reg |= f;
                            }
                            0xFF41 => {
                                let f = self.lcd.stat.set(value);
                                self.if_reg |= f;
                            }
                            0xFF42 => self.lcd.scy = value,
                            0xFF43 => self.lcd.scx = value,
                            0xFF44 => return, // read-only, and no bail
                            0xFF45 => {
                                self.lcd.lyc = value;
                                if self.lcd.lcd_enable() {
                                    let f = self.lcd.stat.update_lyc(self.lcd.lyc, self.lcd.ly);
                                    self.if_reg |= f;
                                } else {
                                    self.lcd.lyc_changed_while_disabled = true;
                                }
                            }
                            0xFF46 => self.transfer_dma(value),
                            0xFF47 => self.lcd.bgp = value,
                            0xFF48 => self.lcd.obp0 = value,
                            0xFF49 => self.lcd.obp1 = value,
                            0xFF4A => self.lcd.wy = value,
                            _ => self.lcd.wx = value,
                        }
                    }
                    _ => self.io_ports[(addr - 0xFF00) as usize] = value,
                }
                self.bail = true;
                self.attention = true;
            }
            0xFF4C..=0xFF7F => {
                if self.bootrom_enabled && addr == 0xFF50 && (value == 0x01 || value == 0x11) {
                    self.bootrom_enabled = false;
                    self.drop_code_window();
                    self.bail = true;
                    self.attention = true;
                }
            }
            0xFF80..=0xFFFE => self.hram[(addr - 0xFF80) as usize] = value,
            _ => {
                self.ie_reg = value;
                self.bail = true;
                self.attention = true;
            }
        }
    }

    fn joypad_pull(&self, value: u8) -> u8 {
        let p14 = (value >> 4) & 1;
        let p15 = (value >> 5) & 1;
        let mut byte = value | 0b1100_1111;
        if p14 == 1 && p15 == 1 {
            byte = 0x0F;
        } else if p14 == 0 && p15 == 0 {
        } else if p14 == 0 {
            byte &= self.joy_directional;
        } else {
            byte &= self.joy_standard;
        }
        byte | 0b1100_0000
    }

    fn transfer_dma(&mut self, src: u8) {
        self.oam_dma_start_cycle = if self.oam_dma_active && self.oam_dma_index == 0 {
            self.cycles + 8
        } else {
            self.cycles + 12
        };
        self.oam_dma_active = true;
        self.oam_dma_reading = false;
        self.oam_dma_source = src;
        self.oam_dma_index = 0;
    }

    fn sync_oam_dma(&mut self, mao: u8) {
        if !self.oam_dma_active || self.oam_dma_reading {
            return;
        }
        let elapsed = self.cycles + mao as i64 - self.oam_dma_start_cycle;
        if elapsed < 4 {
            return;
        }
        let target = (elapsed / 4).min(0xA0) as u8;
        while self.oam_dma_index < target {
            self.oam_dma_reading = true;
            let mut source = self.oam_dma_source;
            if source >= 0xFE {
                source -= 0x20;
            }
            let v = self.read(((source as u16) << 8) | self.oam_dma_index as u16);
            self.oam_dma_reading = false;
            self.lcd.write_oam(self.oam_dma_index as usize, v);
            self.oam_dma_index += 1;
        }
        if self.oam_dma_index == 0xA0 {
            self.oam_dma_active = false;
        }
    }

    /// Bytes written to SB since the last call, then reset (PyBoy's `_serial()`; the ring
    /// holds at most 1023 bytes, as in the reference).
    pub fn take_serial(&mut self) -> Vec<u8> {
        let out = self.serial_buffer[..self.serial_count as usize].to_vec();
        self.serial_count = 0;
        out
    }

    // ------------------------------------------------------------------ joypad

    /// Apply a full button mask (bit order of BUTTON_NAMES); raises the joypad interrupt when a
    /// button goes from released to pressed, like PyBoy's key events.
    pub fn set_buttons(&mut self, mask: u8) {
        let old_d = self.joy_directional;
        let old_s = self.joy_standard;
        self.joy_directional = !mask & 0x0F;
        self.joy_standard = !(mask >> 4) & 0x0F;
        self.buttons = mask;
        if ((old_d ^ self.joy_directional) & old_d) != 0
            || ((old_s ^ self.joy_standard) & old_s) != 0
        {
            self.if_reg |= INTR_JOYPAD;
        }
    }

    /// Turn this emulator into one of the test-only mutants (`MUTANTS`), or back ("none").
    pub fn mutate(&mut self, name: &str) -> Result<(), String> {
        let mut e = Edges::default();
        match name {
            "none" => {}
            "add_half_carry_above_0x10" => e.add_half = 0x10,
            "sub_borrow_on_equal" => e.sub_borrow = 1,
            "daa_low_above_0xA" => e.daa_low = 0xA,
            "add_sp_carry_above_0x100" => e.sp_carry = 0x100,
            "inc_half_carry_from_0xE" => e.inc_half = 0xE,
            _ => {
                let names: Vec<&str> = MUTANTS.iter().map(|m| m.0).collect();
                return Err(format!(
                    "unknown mutant {:?}; known: none, {}",
                    name,
                    names.join(", ")
                ));
            }
        }
        self.edges = e;
        Ok(())
    }

    // ------------------------------------------------------------------ CPU core

    fn check_interrupts(&mut self) -> bool {
        if self.int_queued || self.ie_delay != 0 {
            return false;
        }
        let raised = self.if_reg & self.ie_reg & 0x1F;
        if raised != 0 {
            if self.halted && !self.halted_during_ei {
                self.r.pc = self.r.pc.wrapping_add(1);
            }
            self.halted_during_ei = false;
            if self.ime {
                self.handle_interrupt();
            }
            self.int_queued = true;
            true
        } else {
            self.int_queued = false;
            false
        }
    }

    fn handle_interrupt(&mut self) -> bool {
        let pc = self.r.pc;
        self.write(self.r.sp.wrapping_sub(1), (pc >> 8) as u8);
        let raised = self.if_reg & self.ie_reg & 0x1F;
        if raised == 0 {
            // The high push overwrote IE and cancelled the dispatch.
            self.r.pc = 0;
            self.ime = false;
            return false;
        }
        let bit = raised.trailing_zeros() as u8;
        let flag = 1u8 << bit;
        let vector = 0x40 + 8 * bit as u16;
        self.if_reg ^= flag;
        self.write(self.r.sp.wrapping_sub(2), pc as u8);
        self.r.sp = self.r.sp.wrapping_sub(2);
        self.r.pc = vector;
        self.cycles += 20;
        self.ime = false;
        true
    }

    /// PyBoy's `CPU.tick(cycles_target)`: one batch.
    fn cpu_tick(&mut self, cycles_target: i64) {
        let target = self.cycles + cycles_target;
        if self.check_interrupts() {
            self.halted = false;
        }
        if self.halted && self.int_queued {
            self.halted = false;
            self.r.pc = self.r.pc.wrapping_add(1);
        } else if self.halted {
            self.cycles += cycles_target;
        }
        self.int_queued = false;
        self.bail = false;
        self.attention = self.ie_delay != 0;
        cpu::Cpu::new(self).run(target);
    }

    /// Forget the ROM fetch window (a bank switch, the boot ROM unmapped, a state loaded).
    #[inline]
    fn drop_code_window(&mut self) {
        self.code_len = 0;
    }

    /// The ROM region of PC as a window of plain bytes: PCs [code_lo, code_lo + code_len) fetch
    /// rom[code_base + (pc - code_lo) ..][..3], exactly as the flat-index rule below.
    fn open_code_window(&mut self, pc: u16) {
        let cart = &self.cart;
        let (lo, hi, base) = if pc < 0x3FFE {
            (0u16, 0x3FFEu16, (cart.rombank_selected_low * 0x4000) as isize)
        } else if cart.rombank_selected == 0 {
            (0x4000, 0x7FFE, 0) // bank 0 at 0x4000: 0x3FFE and 0x3FFF would index below the ROM
        } else {
            (0x3FFE, 0x7FFE, (cart.rombank_selected * 0x4000) as isize - 0x4000 + 0x3FFE)
        };
        if pc >= lo && base >= 0 && base as usize + (hi - lo) as usize + 1 < cart.rom.len() {
            self.code_lo = lo;
            self.code_len = hi - lo;
            self.code_base = base as usize;
        }
    }

    #[inline(never)]
    fn fetch_outside_window(&mut self, pc: u16) -> (u8, u8, u8) {
        if pc < 0x7FFE && !self.bootrom_enabled {
            self.open_code_window(pc);
            // The reference reads ROM directly here: bank "low" below 0x3FFE, else the
            // switchable bank at pc - 0x4000 (which, unchecked, reaches into the previous bank).
            let cart = &self.cart;
            let flat = if pc < 0x3FFE {
                (cart.rombank_selected_low * 0x4000 + pc as usize) as isize
            } else {
                (cart.rombank_selected * 0x4000) as isize + pc as isize - 0x4000
            };
            match usize::try_from(flat)
                .ok()
                .and_then(|f| cart.rom.get(f..f + 3))
            {
                Some(s) => (s[0], s[1], s[2]),
                None => (
                    cart.rom_byte(0, flat),
                    cart.rom_byte(0, flat + 1),
                    cart.rom_byte(0, flat + 2),
                ),
            }
        } else {
            self.fetch_bus(pc)
        }
    }

    /// Fetch through the bus: operand bytes read at their mid-instruction cycle offsets.
    fn fetch_bus(&mut self, pc: u16) -> (u8, u8, u8) {
        self.mao = 0;
        let op = self.read(pc);
        let len = OPCODE_LENGTHS[op as usize];
        let b1 = if op == 0xCB || len >= 2 {
            self.mao = 4;
            self.read(pc.wrapping_add(1))
        } else {
            0
        };
        let b2 = if len == 3 {
            self.mao = 8;
            self.read(pc.wrapping_add(2))
        } else {
            0
        };
        self.mao = 0;
        (op, b1, b2)
    }

    // ------------------------------------------------------------------ coordinator

    #[inline(always)]
    fn batch_target(&self) -> i64 {
        let m = self
            .timer
            .cycles_to_interrupt
            .min(self.lcd.cycles_to_interrupt)
            .min(self.lcd.cycles_to_frame)
            .min(self.sound.cycles_to_interrupt)
            .min(self.serial.cycles_to_interrupt);
        m.max(4)
    }

    /// One pass of PyBoy's `Motherboard.tick` loop body: every component caught up.
    #[inline(always)]
    fn coordinator_pass(&mut self, target: i64) {
        self.cpu_tick(target);
        if self.oam_dma_active && !self.oam_dma_reading {
            self.sync_oam_dma(0);
        }
        let now = self.now();
        self.sound.tick(now);
        if self.serial.tick(now) {
            self.if_reg |= INTR_SERIAL;
        }
        if self.timer.tick(now) {
            self.if_reg |= INTR_TIMER;
        }
        let f = self.lcd.tick(now);
        self.if_reg |= f;
        self.pass_end = now;
        self.timer_dirty = false;
        self.serial_dirty = false;
    }

    /// Where a component's next event lies, as an absolute cycle (its distance is measured
    /// from its own last catch-up); "no event" stays "no event".
    #[inline(always)]
    fn deadline(last: u64, distance: i64) -> u64 {
        if distance >= MAX_CYCLES {
            u64::MAX
        } else {
            last.wrapping_add(distance as u64)
        }
    }

    /// The batch target of the lazy frame loop: the same as `batch_target` after a full pass
    /// (a component left alone evolves on its own, so its absolute deadline does not move).
    #[inline(always)]
    fn lazy_batch_target(&self) -> i64 {
        let far = if self.others_at == u64::MAX {
            MAX_CYCLES
        } else {
            self.others_at.wrapping_sub(self.now()) as i64
        };
        far.min(self.lcd.cycles_to_interrupt)
            .min(self.lcd.cycles_to_frame)
            .min(self.sound.cycles_to_interrupt)
            .max(4)
    }

    /// A coordinator pass that catches the timer and serial up only when an event of theirs
    /// is due (or a register write left them stale), and the unemulated sound not at all:
    /// they evolve on their own between events, so catching up later gives the same state.
    #[inline(always)]
    fn lazy_pass(&mut self, target: i64) {
        self.cpu_tick(target);
        if self.oam_dma_active && !self.oam_dma_reading {
            self.sync_oam_dma(0);
        }
        let now = self.now();
        if self.sound.emulate {
            self.sound.tick(now);
        }
        if self.timer_dirty || self.serial_dirty || now >= self.due_at {
            self.catch_up_others(now);
        }
        let f = self.lcd.tick(now);
        self.if_reg |= f;
        self.pass_end = now;
    }

    /// Catch the timer and serial port up (both: catching up early changes nothing) and note
    /// their next event.
    #[inline]
    fn catch_up_others(&mut self, now: u64) {
        if self.serial.tick(now) {
            self.if_reg |= INTR_SERIAL;
        }
        if self.timer.tick(now) {
            self.if_reg |= INTR_TIMER;
        }
        self.timer_dirty = false;
        self.serial_dirty = false;
        self.others_at = self.others_deadline();
        self.due_at = self.others_due(self.others_at);
    }

    /// Lazy passes with a halted CPU that nothing can wake: the reference's CPU batch then
    /// only adds the target to the clock (its interrupt check finds nothing), so the passes
    /// run here without it, until an interrupt is raised that IE lets through, or the frame ends.
    /// With no OAM DMA running and sound not emulated, only the LCD moves between the timer's
    /// and the serial port's events, so their nearest deadline is computed once per event.
    /// (Never inlined: compiled apart from the CPU loop, its register allocation stays its own.)
    #[inline(never)]
    fn halted_passes(&mut self) {
        self.bail = false;
        self.attention = false;
        if self.sound.emulate || self.oam_dma_active {
            let target = self.lazy_batch_target();
            self.lazy_pass(target);
            return;
        }
        if self.timer_dirty || self.serial_dirty {
            self.due_at = 0;
        }
        loop {
            let now = self.now();
            let far = if self.others_at == u64::MAX { MAX_CYCLES } else { self.others_at.wrapping_sub(now) as i64 };
            let target = far
                .min(self.lcd.cycles_to_interrupt)
                .min(self.lcd.cycles_to_frame)
                .min(self.sound.cycles_to_interrupt)
                .max(4);
            self.cycles += target;
            let now = self.now();
            if now >= self.due_at {
                self.catch_up_others(now);
            }
            let f = self.lcd.tick(now);
            self.if_reg |= f;
            self.pass_end = now;
            if self.lcd.frame_done || self.if_reg & self.ie_reg & 0x1F != 0 {
                return;
            }
            if self.ie_reg & INTR_LCDC == 0 && self.lcd_only_passes(self.due_at) {
                return;
            }
        }
    }

    /// Passes in which only the LCD moves: its next event comes before `limit` (the timer's or
    /// serial port's next catch-up) and at least 4 cycles ahead, so each pass's target is exactly
    /// the LCD's distance, and no STAT edge can wake the CPU (IE has no LCDC bit). Returns true
    /// when the frame ends or VBlank wakes the CPU, false when the general loop must take over.
    #[inline(always)]
    fn lcd_only_passes(&mut self, limit: u64) -> bool {
        let sound = self.sound.cycles_to_interrupt;
        let mut now = self.now();
        loop {
            let t = self.lcd.cycles_to_interrupt.min(self.lcd.cycles_to_frame).min(sound);
            if t < 4 || now.wrapping_add(t as u64) >= limit {
                return false;
            }
            now += t as u64;
            self.cycles = now as i64;
            let f = self.lcd.tick(now);
            self.if_reg |= f;
            self.pass_end = now;
            if self.lcd.frame_done || f & self.ie_reg & 0x1F != 0 {
                return true;
            }
        }
    }

    /// The nearest event of the lazily caught-up timer and serial port (absolute cycle).
    #[inline(always)]
    fn others_deadline(&self) -> u64 {
        Self::deadline(self.timer.last_cycles, self.timer.cycles_to_interrupt)
            .min(Self::deadline(self.serial.last_cycles, self.serial.cycles_to_interrupt))
    }

    /// When to catch the timer and serial port up next: at their event, or at every pass while
    /// TIMA reloads (as the lazy pass does).
    #[inline(always)]
    fn others_due(&self, deadline: u64) -> u64 {
        if self.timer.tima_reload_state != 0 {
            0
        } else {
            deadline
        }
    }

    /// Catch the timer up to `when` (never backwards).
    #[inline]
    fn timer_to(&mut self, when: u64) {
        if when > self.timer.last_cycles && self.timer.tick(when) {
            self.if_reg |= INTR_TIMER;
        }
    }

    /// Everything caught up to the CPU, as after a full pass.
    fn catch_up(&mut self) {
        let now = self.now();
        self.sound.tick(now);
        if self.serial.tick(now) {
            self.if_reg |= INTR_SERIAL;
        }
        if self.timer.tick(now) {
            self.if_reg |= INTR_TIMER;
        }
    }

    /// Execute one instruction (or one interrupt dispatch, or one halted fast-forward) and
    /// catch the other components up, like the reference's coordinator with a 4-cycle target.
    /// Returns the T-cycles used.
    pub fn step(&mut self) -> Result<u32, String> {
        self.check_illegal()?;
        if self.lcd.frame_done {
            self.lcd.frame_done = false;
        }
        let before = self.cycles;
        let target = if self.halted { self.batch_target() } else { 4 };
        self.coordinator_pass(target);
        self.check_illegal()?;
        Ok((self.cycles - before) as u32)
    }

    fn check_illegal(&self) -> Result<(), String> {
        match self.illegal {
            None => Ok(()),
            Some((pc, op)) => Err(format!(
                "the CPU reached opcode {:#04x} at PC={:#06x}, which the reference cannot execute (PyBoy 2.8.1 hangs \
                 on it); this emulator stopped there. Fix the ROM, or load_state() an earlier state",
                op, pc
            )),
        }
    }

    /// Run until the frame boundary, exactly as the reference's `tick()` defines it.
    pub fn run_frame(&mut self, render: bool) -> Result<(), String> {
        self.check_illegal()?;
        self.lcd.frame_done = false;
        self.lcd.disable_renderer = !render;
        // The first pass in full: after it every component's event distance is measured from
        // the same cycle (a loaded state need not be so), which the lazy passes rely on.
        let target = self.batch_target();
        self.coordinator_pass(target);
        self.others_at = self.others_deadline();
        self.due_at = self.others_due(self.others_at);
        while !self.lcd.frame_done && self.illegal.is_none() {
            if self.halted && !self.int_queued && self.ie_delay == 0 && self.if_reg & self.ie_reg & 0x1F == 0 {
                self.halted_passes();
                continue;
            }
            if cpu::Cpu::new(self).quiet_passes() {
                continue;
            }
            let target = self.lazy_batch_target();
            self.lazy_pass(target);
        }
        self.catch_up();
        self.check_illegal()?;
        self.frame_count += 1;
        Ok(())
    }

    /// The same frame as `run_frame`, with every coordinator pass in full (every component
    /// caught up, no halted fast-forward): the timing model as the reference runs it, which
    /// `run_frame`'s shortcuts must reproduce exactly (tests compare the two).
    pub fn run_frame_full_passes(&mut self, render: bool) -> Result<(), String> {
        self.check_illegal()?;
        self.lcd.frame_done = false;
        self.lcd.disable_renderer = !render;
        while !self.lcd.frame_done && self.illegal.is_none() {
            let target = self.batch_target();
            self.coordinator_pass(target);
        }
        self.check_illegal()?;
        self.frame_count += 1;
        Ok(())
    }

    /// `n` frames, rendering only the last one when `render` (like `tick(n, render)`).
    pub fn run_frames(&mut self, n: u64, render: bool) -> Result<(), String> {
        for i in 0..n {
            self.run_frame(render && i + 1 == n)?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ canonical fields

    /// The gameboy family's canonical state (reference_envs/gameboy/state.py), in the terms of
    /// PyBoy 2.8.1's save state: (name, value) with scalars as u64 and arrays as bytes.
    pub fn state_fields(&self) -> Vec<(&'static str, Field)> {
        use Field::{B, U};
        let l = &self.lcd;
        let t = &self.timer;
        let c = &self.cart;
        let s = &self.serial;
        let mut cart_ram = vec![0u8; 32768];
        let n = (c.ram_banks * 0x2000).min(32768);
        cart_ram[..n].copy_from_slice(&c.ram[..n]);
        let mbc_regs = match c.kind {
            crate::cart::Mbc::Mbc1 => vec![c.bank_select_register1, c.bank_select_register2],
            crate::cart::Mbc::Mbc5 => vec![
                c.rumble_supported as u8,
                if c.rumble_supported && c.rumble_enabled {
                    0x08
                } else {
                    0
                },
            ], // PyBoy keeps value & 0x08
            crate::cart::Mbc::RomOnly => vec![0, 0],
        };
        let screen: Vec<u8> = l.screen.iter().flat_map(|p| p.to_le_bytes()).collect();
        vec![
            ("boot_rom", U(self.bootrom_enabled as u64)),
            ("a", U(self.r.a as u64)),
            ("f", U(self.r.f as u64)),
            ("b", U(self.r.b as u64)),
            ("c", U(self.r.c as u64)),
            ("d", U(self.r.d as u64)),
            ("e", U(self.r.e as u64)),
            ("h", U((self.r.hl >> 8) as u64)),
            ("l", U((self.r.hl & 0xFF) as u64)),
            ("sp", U(self.r.sp as u64)),
            ("pc", U(self.r.pc as u64)),
            ("ime", U(self.ime as u64)),
            ("ime_delay", U(self.ie_delay as u64)),
            ("halted", U(self.halted as u64)),
            ("stopped", U(self.stopped as u64)),
            ("ie", U(self.ie_reg as u64)),
            ("int_queued", U(self.int_queued as u64)),
            ("if_", U(self.if_reg as u64)),
            ("cycles", U(self.cycles as u64)),
            ("dma_active", U(self.oam_dma_active as u64)),
            ("dma_reading", U(self.oam_dma_reading as u64)),
            ("dma_source", U(self.oam_dma_source as u64)),
            ("dma_index", U(self.oam_dma_index as u64)),
            ("dma_start_cycle", U(self.oam_dma_start_cycle as u64)),
            ("vram", B(l.vram.to_vec())),
            ("oam", B(l.oam.to_vec())),
            ("lcdc", U(l.lcdc as u64)),
            ("bgp", U(l.bgp as u64)),
            ("obp0", U(l.obp0 as u64)),
            ("obp1", U(l.obp1 as u64)),
            ("stat", U(l.stat.value as u64)),
            ("ly", U(l.ly as u64)),
            ("lyc", U(l.lyc as u64)),
            ("scy", U(l.scy as u64)),
            ("scx", U(l.scx as u64)),
            ("wy", U(l.wy as u64)),
            ("wx", U(l.wx as u64)),
            ("lcd_frame_done", U(l.frame_done as u64)),
            ("lcd_first_frame", U(l.first_frame as u64)),
            ("lcd_reset", U(l.reset as u64)),
            ("lcd_last_cycles", U(l.last_cycles)),
            ("lcd_clock", U(l.clock)),
            ("lcd_clock_target", U(l.clock_target)),
            ("lcd_next_stat_mode", U(l.next_stat_mode as u64)),
            ("lcd_stat_transition", U(l.stat_transition as u64)),
            ("screen", B(screen)),
            ("wy_activated", U(l.wy_activated_frame as u64)),
            ("wram", B(self.wram.to_vec())),
            ("unusable", B(self.unusable.to_vec())),
            ("p1", U(self.io_ports[0] as u64)),
            ("hram", B(self.hram.to_vec())),
            ("div", U(t.div & 0xFF)),
            ("tima", U(t.tima & 0xFF)),
            ("div_counter", U(t.div_counter & 0xFFFF)),
            ("tima_counter", U(t.tima_counter & 0xFFFF)),
            ("tma", U(t.tma & 0xFF)),
            ("tac", U(t.tac & 0xFF)),
            ("tima_reload_state", U(t.tima_reload_state as u64)),
            ("timer_last_cycles", U(t.last_cycles)),
            ("timer_cycles_to_interrupt", U(t.cycles_to_interrupt as u64)),
            ("rom_bank", U((c.rombank_selected & 0xFF) as u64)),
            ("ram_bank", U((c.rambank_selected & 0xFF) as u64)),
            ("ram_enabled", U(c.rambank_enabled as u64)),
            ("mbc_mode", U(c.memorymodel as u64)),
            ("mbc_regs", B(mbc_regs)),
            ("cart_ram", B(cart_ram)),
            ("joy_directional", U(self.joy_directional as u64)),
            ("joy_standard", U(self.joy_standard as u64)),
            ("sb", U(s.sb as u64)),
            ("sc", U(s.sc as u64)),
            (
                "serial_transfer",
                U(if s.transfer_enabled { 0x80 } else { 0 }),
            ), // PyBoy stores SC & 0x80
            ("serial_internal_clock", U(s.internal_clock as u64)),
            ("serial_last_cycles", U(s.last_cycles)),
            (
                "serial_cycles_to_interrupt",
                U(s.cycles_to_interrupt as u64),
            ),
            ("serial_clock", U(s.clock)),
            ("serial_clock_target", U(s.clock_target)),
        ]
    }

    /// Inject canonical fields (all of them, as from `state_fields`), the way PyBoy's
    /// `load_state` applies a save state: LCDC goes through `set_lcdc` first, then fields are
    /// overwritten and the derived scheduling values recomputed. Not covered (kept as they
    /// are): the APU, the window line counter and the LYC-while-off latch.
    pub fn load_state_fields(
        &mut self,
        get: &mut dyn FnMut(&str) -> Result<Field, String>,
    ) -> Result<(), String> {
        let mut u = |name: &str, max: u64| -> Result<u64, String> {
            match get(name)? {
                Field::U(v) if v <= max => Ok(v),
                Field::U(v) => Err(format!(
                    "field {} = {} is out of range (max {})",
                    name, v, max
                )),
                Field::B(_) => Err(format!("field {} must be an int", name)),
            }
        };
        let b8 = 0xFF;
        let lcdc = u("lcdc", b8)? as u8;
        let mut f = |g: &mut GameBoy| -> Result<(), String> {
            g.bootrom_enabled = u("boot_rom", 1)? != 0;
            g.r.a = u("a", b8)? as u8;
            g.r.f = u("f", b8)? as u8;
            g.r.b = u("b", b8)? as u8;
            g.r.c = u("c", b8)? as u8;
            g.r.d = u("d", b8)? as u8;
            g.r.e = u("e", b8)? as u8;
            g.r.hl = ((u("h", b8)? as u16) << 8) | u("l", b8)? as u16;
            g.r.sp = u("sp", 0xFFFF)? as u16;
            g.r.pc = u("pc", 0xFFFF)? as u16;
            g.ime = u("ime", b8)? != 0;
            g.ie_delay = u("ime_delay", b8)? as u8;
            g.halted = u("halted", b8)? != 0;
            g.stopped = u("stopped", b8)? != 0;
            g.ie_reg = u("ie", b8)? as u8;
            g.int_queued = u("int_queued", b8)? != 0;
            g.if_reg = u("if_", b8)? as u8;
            g.cycles = u("cycles", u64::MAX)? as i64;
            g.oam_dma_active = u("dma_active", b8)? != 0;
            g.oam_dma_reading = u("dma_reading", b8)? != 0;
            g.oam_dma_source = u("dma_source", b8)? as u8;
            g.oam_dma_index = u("dma_index", b8)? as u8;
            g.oam_dma_start_cycle = u("dma_start_cycle", u64::MAX)? as i64;
            let l = &mut g.lcd;
            l.bgp = u("bgp", b8)? as u8;
            l.obp0 = u("obp0", b8)? as u8;
            l.obp1 = u("obp1", b8)? as u8;
            l.stat.value = u("stat", b8)? as u8;
            l.stat.mode = l.stat.value & 3;
            l.stat.irq_line = false;
            l.stat.update_irq_line();
            l.ly = u("ly", b8)? as u8;
            l.lyc = u("lyc", b8)? as u8;
            l.scy = u("scy", b8)? as u8;
            l.scx = u("scx", b8)? as u8;
            l.wy = u("wy", b8)? as u8;
            l.wx = u("wx", b8)? as u8;
            l.frame_done = u("lcd_frame_done", b8)? != 0;
            l.first_frame = u("lcd_first_frame", b8)? != 0;
            l.reset = u("lcd_reset", b8)? != 0;
            l.last_cycles = u("lcd_last_cycles", u64::MAX)?;
            l.clock = u("lcd_clock", u64::MAX)?;
            l.clock_target = u("lcd_clock_target", u64::MAX)?;
            l.next_stat_mode = u("lcd_next_stat_mode", b8)? as u8;
            l.stat_transition = u("lcd_stat_transition", b8)? as u8;
            l.cycles_to_interrupt = l.clock_target.wrapping_sub(l.clock) as i64;
            l.cycles_to_frame = crate::FRAME_CYCLES.wrapping_sub(l.clock) as i64;
            if l.stat.mode == 3 {
                l.mode3_adjustment = l.mode3_adjustment_for(l.ly as i32);
            }
            l.wy_activated_frame = u("wy_activated", b8)? != 0;
            g.io_ports[0] = u("p1", b8)? as u8;
            let t = &mut g.timer;
            t.div = u("div", b8)?;
            t.tima = u("tima", b8)?;
            t.div_counter = u("div_counter", 0xFFFF)?;
            t.tima_counter = u("tima_counter", 0xFFFF)?;
            t.tma = u("tma", b8)?;
            t.tac = u("tac", b8)?;
            t.tima_reload_state = u("tima_reload_state", b8)? as u8;
            t.last_cycles = u("timer_last_cycles", u64::MAX)?;
            t.cycles_to_interrupt = u("timer_cycles_to_interrupt", u64::MAX)? as i64;
            let c = &mut g.cart;
            c.rombank_selected = u("rom_bank", b8)? as usize;
            c.rambank_selected = u("ram_bank", b8)? as usize;
            c.rambank_enabled = u("ram_enabled", b8)? != 0;
            c.memorymodel = u("mbc_mode", b8)? as u8;
            g.joy_directional = u("joy_directional", b8)? as u8;
            g.joy_standard = u("joy_standard", b8)? as u8;
            let s = &mut g.serial;
            s.sb = u("sb", b8)? as u8;
            s.sc = u("sc", b8)? as u8;
            s.transfer_enabled = u("serial_transfer", b8)? != 0;
            s.internal_clock = u("serial_internal_clock", b8)? != 0;
            s.last_cycles = u("serial_last_cycles", u64::MAX)?;
            s.cycles_to_interrupt = u("serial_cycles_to_interrupt", u64::MAX)? as i64;
            s.clock = u("serial_clock", u64::MAX)?;
            s.clock_target = u("serial_clock_target", u64::MAX)?;
            Ok(())
        };
        let mut copy = self.clone();
        copy.lcd.set_lcdc(lcdc);
        f(&mut copy)?;
        drop(f);
        let mut bytes = |name: &str, len: usize| -> Result<Vec<u8>, String> {
            match get(name)? {
                Field::B(v) if v.len() == len => Ok(v),
                Field::B(v) => Err(format!(
                    "field {} has {} bytes, expected {}",
                    name,
                    v.len(),
                    len
                )),
                Field::U(_) => Err(format!("field {} must be bytes", name)),
            }
        };
        copy.lcd.vram.copy_from_slice(&bytes("vram", 0x2000)?);
        copy.lcd.oam.copy_from_slice(&bytes("oam", 0xA0)?);
        copy.lcd.sprites_stale = true;
        let screen = bytes("screen", 144 * 160 * 4)?;
        for (p, q) in copy.lcd.screen.iter_mut().zip(screen.chunks_exact(4)) {
            *p = u32::from_le_bytes(q.try_into().unwrap());
        }
        copy.wram.copy_from_slice(&bytes("wram", 0x2000)?);
        copy.unusable.copy_from_slice(&bytes("unusable", 0x60)?);
        copy.hram.copy_from_slice(&bytes("hram", 0x7F)?);
        let regs = bytes("mbc_regs", 2)?;
        match copy.cart.kind {
            crate::cart::Mbc::Mbc1 => {
                copy.cart.bank_select_register1 = regs[0];
                copy.cart.bank_select_register2 = regs[1];
            }
            crate::cart::Mbc::Mbc5 => copy.cart.rumble_enabled = regs[1] != 0,
            crate::cart::Mbc::RomOnly => {}
        }
        let ram = bytes("cart_ram", 32768)?;
        let n = (copy.cart.ram_banks * 0x2000).min(32768);
        copy.cart.ram[..n].copy_from_slice(&ram[..n]);
        copy.lcd.lcdc = lcdc;
        if copy.cart.rombank_selected >= copy.cart.rom_banks.max(2) {
            return Err(format!(
                "rom_bank {} is past this ROM's {} banks",
                copy.cart.rombank_selected, copy.cart.rom_banks
            ));
        }
        // Commit, keeping the screen buffer's allocation (numpy views point at it).
        let mut screen_buf = std::mem::take(&mut self.lcd.screen);
        screen_buf.copy_from_slice(&copy.lcd.screen);
        copy.lcd.screen = screen_buf;
        copy.illegal = None;
        copy.drop_code_window();
        *self = copy;
        Ok(())
    }

    // ------------------------------------------------------------------ state

    pub fn save_state(&self) -> Vec<u8> {
        let mut w = StateWriter::default();
        w.buf.extend_from_slice(MAGIC);
        w.u8(VERSION);
        let r = &self.r;
        for v in [r.a, r.f, r.b, r.c, r.d, r.e] {
            w.u8(v);
        }
        for v in [r.hl, r.sp, r.pc] {
            w.u16(v);
        }
        for v in [
            self.ime,
            self.halted,
            self.halted_during_ei,
            self.stopped,
            self.int_queued,
            self.bail,
        ] {
            w.bool(v);
        }
        w.u8(self.ie_delay);
        w.u8(self.if_reg);
        w.u8(self.ie_reg);
        w.i64(self.cycles);
        w.u8(self.mao);
        w.bool(self.bootrom_enabled);
        w.bytes(&self.wram[..]);
        w.bytes(&self.hram);
        w.bytes(&self.unusable);
        w.bytes(&self.io_ports);
        w.u8(self.joy_directional);
        w.u8(self.joy_standard);
        w.u8(self.buttons);
        w.bool(self.oam_dma_active);
        w.bool(self.oam_dma_reading);
        w.u8(self.oam_dma_source);
        w.u8(self.oam_dma_index);
        w.i64(self.oam_dma_start_cycle);
        w.u64(self.frame_count);
        w.bytes(&self.serial_buffer);
        w.u16(self.serial_count);
        self.lcd.save(&mut w);
        self.timer.save(&mut w);
        self.serial.save(&mut w);
        self.sound.save(&mut w);
        self.cart.save(&mut w);
        w.buf
    }

    pub fn load_state(&mut self, data: &[u8]) -> Result<(), String> {
        if data.len() < 9 || &data[..8] != MAGIC {
            return Err("not an emurust save state: pass bytes returned by save_state()".into());
        }
        if data[8] != VERSION {
            return Err(format!(
                "save state version {} is not supported (this build reads version {})",
                data[8], VERSION
            ));
        }
        // Parse into a copy first so a bad state leaves the emulator untouched.
        let rom = std::mem::take(&mut self.cart.rom);
        let mut copy = self.clone();
        self.cart.rom = rom;
        let mut rd = StateReader::new(&data[9..]);
        copy.load_fields(&mut rd)?;
        if !rd.done() {
            return Err(
                "save state has trailing bytes: pass bytes returned by save_state()".into(),
            );
        }
        // Keep the screen buffer's allocation: numpy views from framebuffer() point at it.
        let mut screen = std::mem::take(&mut self.lcd.screen);
        screen.copy_from_slice(&copy.lcd.screen);
        copy.lcd.screen = screen;
        copy.cart.rom = std::mem::take(&mut self.cart.rom);
        copy.illegal = None;
        copy.drop_code_window();
        *self = copy;
        Ok(())
    }

    /// Side-effect-free read for traces and debugging (I/O registers read as 0xFF).
    pub fn debug_read(&self, addr: u16) -> u8 {
        match addr {
            0x0000..=0x3FFF if self.bootrom_enabled && addr <= 0xFF => self.boot[addr as usize],
            0x0000..=0x3FFF => self.cart.read_rom_low(addr),
            0x4000..=0x7FFF => self.cart.read_rom_high(addr),
            0x8000..=0x9FFF => self.lcd.vram[(addr - 0x8000) as usize],
            0xA000..=0xBFFF => 0xFF,
            0xC000..=0xDFFF => self.wram[(addr - 0xC000) as usize],
            0xE000..=0xFDFF => self.wram[(addr - 0xE000) as usize],
            0xFE00..=0xFE9F => self.lcd.oam[(addr - 0xFE00) as usize],
            0xFEA0..=0xFEFF => self.unusable[(addr - 0xFEA0) as usize],
            0xFF80..=0xFFFE => self.hram[(addr - 0xFF80) as usize],
            0xFFFF => self.ie_reg,
            _ => 0xFF,
        }
    }

    fn load_fields(&mut self, rd: &mut StateReader) -> Result<(), String> {
        self.r.a = rd.u8()?;
        self.r.f = rd.u8()?;
        self.r.b = rd.u8()?;
        self.r.c = rd.u8()?;
        self.r.d = rd.u8()?;
        self.r.e = rd.u8()?;
        self.r.hl = rd.u16()?;
        self.r.sp = rd.u16()?;
        self.r.pc = rd.u16()?;
        self.ime = rd.bool()?;
        self.halted = rd.bool()?;
        self.halted_during_ei = rd.bool()?;
        self.stopped = rd.bool()?;
        self.int_queued = rd.bool()?;
        self.bail = rd.bool()?;
        self.ie_delay = rd.u8()?;
        self.if_reg = rd.u8()?;
        self.ie_reg = rd.u8()?;
        self.cycles = rd.i64()?;
        self.mao = rd.u8()?;
        self.bootrom_enabled = rd.bool()?;
        rd.bytes_into(&mut self.wram[..])?;
        rd.bytes_into(&mut self.hram)?;
        rd.bytes_into(&mut self.unusable)?;
        rd.bytes_into(&mut self.io_ports)?;
        self.joy_directional = rd.u8()?;
        self.joy_standard = rd.u8()?;
        self.buttons = rd.u8()?;
        self.oam_dma_active = rd.bool()?;
        self.oam_dma_reading = rd.bool()?;
        self.oam_dma_source = rd.u8()?;
        self.oam_dma_index = rd.u8()?;
        self.oam_dma_start_cycle = rd.i64()?;
        self.frame_count = rd.u64()?;
        rd.bytes_into(&mut self.serial_buffer)?;
        self.serial_count = rd.u16()? & 0x3FF;
        self.lcd.load(rd)?;
        self.timer.load(rd)?;
        self.serial.load(rd)?;
        self.sound.load(rd)?;
        self.cart.load(rd)?;
        Ok(())
    }
}

#[allow(dead_code)]
const _: i64 = MAX_CYCLES;

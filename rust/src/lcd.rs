//! The PPU as PyBoy 2.8.1 models it (DMG only): a mode state machine advanced lazily to
//! the CPU's cycle count, STAT/LYC interrupt line, and a scanline renderer that draws a
//! whole line when mode 0 (H-blank) begins.

use crate::state::{StateReader, StateWriter};
use crate::{FRAME_CYCLES, INTR_LCDC, INTR_VBLANK};

pub const ROWS: usize = 144;
pub const COLS: usize = 160;

const TRANSITION_NONE: u8 = 0;
const TRANSITION_ADVANCE_LY: u8 = 1;
const TRANSITION_START_MODE2: u8 = 2;

const COL0_FLAG: u8 = 0b01;

/// PyBoy's default DMG palette "Grey", as the 32-bit words its screen buffer holds
/// (bytes R, G, B, 0xFF in memory).
pub const DEFAULT_PALETTE: [u32; 4] = [
    rgba(0xFFFFFF),
    rgba(0x999999),
    rgba(0x555555),
    rgba(0x000000),
];

const fn rgba(rgb: u32) -> u32 {
    let r = (rgb >> 16) & 0xFF;
    let g = (rgb >> 8) & 0xFF;
    let b = rgb & 0xFF;
    (0xFF << 24) | (b << 16) | (g << 8) | r
}

#[derive(Clone, Default)]
pub struct Stat {
    pub value: u8,
    pub mode: u8,
    pub irq_line: bool,
}

impl Stat {
    #[inline(always)]
    pub fn set(&mut self, value: u8) -> u8 {
        self.value = (self.value & 0b1000_0111) | (value & 0b0111_1000);
        self.update_irq_line()
    }

    #[inline(always)]
    pub fn update_lyc(&mut self, lyc: u8, ly: u8) -> u8 {
        self.value = (self.value & 0b1111_1011) | (((lyc == ly) as u8) << 2);
        self.update_irq_line()
    }

    #[inline(always)]
    pub fn set_mode(&mut self, mode: u8) -> u8 {
        if self.mode == mode {
            return 0;
        }
        self.mode = mode;
        self.value = (self.value & 0b1111_1100) | mode;
        self.update_irq_line()
    }

    /// The STAT interrupt line from the enabled sources; its rising edge raises INTR_LCDC.
    #[inline(always)]
    pub fn update_irq_line(&mut self) -> u8 {
        // STAT bit 3, 4 or 5 enables the mode 0, 1 or 2 source; mode 3 has none
        const MODE_SOURCE: [u8; 4] = [0x08, 0x10, 0x20, 0x00];
        let v = self.value;
        let line = (v & MODE_SOURCE[(self.mode & 3) as usize] != 0) | (v & 0x44 == 0x44);
        let rising = line & !self.irq_line;
        self.irq_line = line;
        (rising as u8) * INTR_LCDC
    }
}

#[derive(Clone)]
pub struct Lcd {
    pub vram: Box<[u8; 0x2000]>,
    pub oam: [u8; 0xA0],
    pub lcdc: u8,
    pub stat: Stat,
    pub clock: u64,
    pub clock_target: u64,
    pub frame_done: bool,
    pub first_frame: bool,
    pub reset: bool,
    pub stat_mode_override: bool,
    pub lyc_changed_while_disabled: bool,
    pub cycles_to_interrupt: i64,
    pub cycles_to_frame: i64,
    pub next_stat_mode: u8,
    pub stat_transition: u8,
    pub ly: u8,
    pub mode3_adjustment: i64,
    pub scy: u8,
    pub scx: u8,
    pub lyc: u8,
    pub wy: u8,
    pub wx: u8,
    pub bgp: u8,
    pub obp0: u8,
    pub obp1: u8,
    pub last_cycles: u64,
    pub disable_renderer: bool,
    // Renderer
    pub palette: [u32; 4],
    pub screen: Vec<u32>,
    pub attributes: Vec<u8>,
    pub ly_window: i32,
    pub wy_activated_frame: bool,
    /// Derived from OAM (never saved): per line, the X of the first ten sprites in OAM order
    /// that cover it, which is what mode 3's length depends on. Rebuilt when `sprites_stale`
    /// (set by every OAM write) or when the object height it was built for changes.
    line_sprites: Box<[[u8; 10]; 256]>,
    line_counts: Box<[u8; 256]>,
    pub sprites_stale: bool,
    sprites_height: u8,
}

impl Lcd {
    pub fn new() -> Lcd {
        Lcd {
            vram: Box::new([0; 0x2000]),
            oam: [0; 0xA0],
            lcdc: 0,
            stat: Stat {
                value: 0x80,
                mode: 0,
                irq_line: false,
            },
            clock: 0,
            clock_target: FRAME_CYCLES,
            frame_done: false,
            first_frame: false,
            reset: false,
            stat_mode_override: false,
            lyc_changed_while_disabled: false,
            cycles_to_interrupt: 0,
            cycles_to_frame: FRAME_CYCLES as i64,
            next_stat_mode: 2,
            stat_transition: TRANSITION_NONE,
            ly: 0,
            mode3_adjustment: 0,
            scy: 0,
            scx: 0,
            lyc: 0,
            wy: 0,
            wx: 0,
            bgp: 0xFC,
            obp0: 0xFF,
            obp1: 0xFF,
            last_cycles: 0,
            disable_renderer: false,
            palette: DEFAULT_PALETTE,
            screen: vec![0; ROWS * COLS],
            attributes: vec![0; ROWS * COLS],
            ly_window: 0,
            wy_activated_frame: false,
            line_sprites: Box::new([[0; 10]; 256]),
            line_counts: Box::new([0; 256]),
            sprites_stale: true,
            sprites_height: 0,
        }
    }

    #[inline(always)]
    pub fn lcd_enable(&self) -> bool {
        self.lcdc & 0x80 != 0
    }

    pub fn set_lcdc(&mut self, value: u8) -> u8 {
        let was_enabled = self.lcd_enable();
        self.lcdc = value;
        if was_enabled && !self.lcd_enable() {
            self.clock = 0;
            self.clock_target = 0;
            self.cycles_to_frame = 0;
            self.stat.set_mode(0);
            self.ly = 0;
        } else if !was_enabled && self.lcd_enable() {
            self.clock_target = 0;
            self.first_frame = true;
            self.reset = true;
            if self.lyc_changed_while_disabled {
                self.stat_mode_override = true;
                self.lyc_changed_while_disabled = false;
            }
            if self.stat.value & 0x40 != 0 {
                return self.stat.update_lyc(self.lyc, self.ly);
            }
        }
        0
    }

    pub fn is_startup_mode2_delay(&self) -> bool {
        self.first_frame && self.stat_transition == TRANSITION_START_MODE2
    }

    /// Write one OAM byte (every OAM write goes through here, to keep the sprite cache true).
    #[inline]
    pub fn write_oam(&mut self, index: usize, value: u8) {
        self.oam[index] = value;
        self.sprites_stale = true;
    }

    fn rebuild_line_sprites(&mut self, height: i32) {
        self.line_counts.fill(0);
        for index in (0..0xA0).step_by(4) {
            let y = self.oam[index] as i32 - 16;
            let x = self.oam[index + 1];
            for line in y.max(0)..(y + height).min(256) {
                let n = &mut self.line_counts[line as usize];
                if *n < 10 {
                    self.line_sprites[line as usize][*n as usize] = x;
                    *n += 1;
                }
            }
        }
        self.sprites_stale = false;
        self.sprites_height = height as u8;
    }

    #[inline(always)]
    fn mode3_sprite_penalty(&mut self, ly: i32) -> i64 {
        if self.lcdc & 0x02 == 0 {
            return 0;
        }
        let height = if self.lcdc & 0x04 != 0 { 16 } else { 8 };
        if self.sprites_stale || self.sprites_height != height as u8 {
            self.rebuild_line_sprites(height);
        }
        if !(0..256).contains(&ly) {
            return 0; // no sprite covers a line outside 0..255
        }
        let count = self.line_counts[ly as usize] as usize;
        if count == 0 {
            return 0;
        }
        self.sprite_penalty(ly as usize, count)
    }

    fn sprite_penalty(&self, ly: usize, count: usize) -> i64 {
        let mut groups = 0;
        let mut penalty: i64 = 0;
        let mut seen = [0u64; 3];
        for &x in &self.line_sprites[ly][..count] {
            let x = x as i32;
            if x < 168 {
                penalty += 6;
                let (word, bit) = ((x / 64) as usize, (x % 64) as u32);
                let duplicate = seen[word] & (1u64 << bit) != 0;
                seen[word] |= 1u64 << bit;
                if !duplicate {
                    groups += 1;
                    let alignment = 5 - ((x + self.scx as i32 - 8) & 7);
                    if alignment > 0 {
                        penalty += alignment as i64;
                    }
                }
            }
        }
        if groups == 0 {
            return -4;
        }
        (penalty - 7).max(0)
    }

    pub fn mode3_adjustment_for(&mut self, ly: i32) -> i64 {
        self.mode3_timing_adjustment(ly)
    }

    #[inline(always)]
    fn mode3_timing_adjustment(&mut self, ly: i32) -> i64 {
        let mut penalty = self.mode3_sprite_penalty(ly);
        if !self.first_frame {
            penalty += ((self.scx as i64 & 7) + 3) / 4 * 4;
        }
        penalty
    }

    /// Advance to absolute cycle count `now`; returns the interrupt flags raised.
    #[inline]
    pub fn tick(&mut self, now: u64) -> u8 {
        let cycles = now.wrapping_sub(self.last_cycles);
        if cycles == 0 {
            return 0;
        }
        self.last_cycles = now;
        self.clock = self.clock.wrapping_add(cycles);
        let intr = if self.clock >= self.clock_target { self.transition() } else { 0 };
        self.cycles_to_interrupt = self.clock_target.wrapping_sub(self.clock) as i64;
        self.cycles_to_frame = FRAME_CYCLES.wrapping_sub(self.clock) as i64;
        intr
    }

    /// The mode change (or line, or frame) due at `clock_target`; returns the flags raised.
    #[inline(always)]
    fn transition(&mut self) -> u8 {
        let mut intr = 0u8;
        let enabled = self.lcd_enable();
        if !enabled {
            self.frame_done = true;
            self.clock %= FRAME_CYCLES;
            self.clock_target = FRAME_CYCLES;
            self.blank_screen();
        } else if self.reset {
            self.reset = false;
            self.frame_done = true;
            self.ly = 0;
            self.clock = 0;
            self.clock_target = 76;
            self.next_stat_mode = 3;
            self.stat_transition = TRANSITION_NONE;
            intr |= self.stat.set_mode(0);
            self.wy_activated_frame = self.wy == self.ly;
            intr |= self.stat.update_lyc(self.lyc, self.ly);
        } else if self.ly == 153 {
            if self.first_frame && self.clock_target < FRAME_CYCLES {
                self.clock_target = FRAME_CYCLES;
            } else {
                self.frame_done = true;
                self.ly = 0;
                self.clock %= FRAME_CYCLES;
                self.first_frame = false;
                self.clock_target = self.clock_target % FRAME_CYCLES + 80;
                self.next_stat_mode = 3;
                self.stat_transition = TRANSITION_NONE;
                intr |= self.stat.set_mode(2);
                self.wy_activated_frame = self.wy == self.ly;
                intr |= self.stat.update_lyc(self.lyc, self.ly);
            }
        } else if self.stat_transition == TRANSITION_ADVANCE_LY {
            self.ly = self.ly.wrapping_add(1);
            if self.first_frame {
                self.stat.value &= 0xFB;
                intr |= self.stat.update_irq_line();
            } else {
                intr |= self.stat.update_lyc(self.lyc, self.ly);
            }
            self.clock_target += 4;
            self.stat_transition = TRANSITION_START_MODE2;
        } else if self.stat_transition == TRANSITION_START_MODE2 {
            intr |= self.stat.set_mode(2);
            if self.first_frame {
                intr |= self.stat.update_lyc(self.lyc, self.ly);
            }
            self.clock_target += 80;
            self.next_stat_mode = 3;
            self.stat_transition = TRANSITION_NONE;
            self.wy_activated_frame |= self.wy == self.ly;
        } else {
            intr |= self.stat.set_mode(self.next_stat_mode);
            match self.stat.mode {
                2 => {
                    self.ly = self.ly.wrapping_add(1);
                    self.clock_target += 80;
                    self.next_stat_mode = 3;
                    self.stat_transition = TRANSITION_NONE;
                    intr |= self.stat.update_lyc(self.lyc, self.ly);
                    self.wy_activated_frame |= self.wy == self.ly;
                }
                3 => {
                    self.mode3_adjustment = self.mode3_timing_adjustment(self.ly as i32);
                    self.clock_target =
                        (self.clock_target as i64 + 172 + self.mode3_adjustment) as u64;
                    self.next_stat_mode = 0;
                    self.stat_transition = TRANSITION_NONE;
                }
                0 => {
                    let add = if !self.first_frame && self.ly >= 143 {
                        204
                    } else {
                        200
                    };
                    self.clock_target =
                        (self.clock_target as i64 + add - self.mode3_adjustment) as u64;
                    if self.ly < 143 {
                        self.next_stat_mode = 2;
                        self.stat_transition = TRANSITION_ADVANCE_LY;
                    } else {
                        self.next_stat_mode = 1;
                        self.stat_transition = TRANSITION_NONE;
                    }
                    if !self.disable_renderer {
                        let y = self.ly as usize;
                        self.scanline(y);
                        self.scanline_sprites(y);
                    }
                }
                _ => {
                    self.clock_target += 456;
                    self.next_stat_mode = 1;
                    self.stat_transition = TRANSITION_NONE;
                    self.ly = self.ly.wrapping_add(1);
                    intr |= self.stat.update_lyc(self.lyc, self.ly);
                    if self.ly == 144 {
                        if self.stat.value & 0x20 != 0 && !self.stat.irq_line {
                            intr |= INTR_LCDC;
                        }
                        intr |= INTR_VBLANK;
                        self.wy_activated_frame = false;
                        if self.first_frame {
                            self.blank_screen();
                        }
                    }
                }
            }
        }
        intr
    }

    // ---------------------------------------------------------------- renderer

    #[inline(always)]
    fn color(&self, palette: u8, index: u8) -> u32 {
        self.palette[((palette >> (index * 2)) & 3) as usize]
    }

    /// Colour index (0-3) of pixel (row, col) of the tile whose data starts at `base`.
    #[inline(always)]
    fn tile_pixel(&self, base: usize, row: usize, col: usize) -> u8 {
        let lo = self.vram[base + row * 2];
        let hi = self.vram[base + row * 2 + 1];
        let bit = 7 - col;
        (((hi >> bit) & 1) << 1) | ((lo >> bit) & 1)
    }

    /// Data address (in VRAM) of the BG/window tile named at map entry `map + row*32 + col`.
    #[inline(always)]
    fn map_tile_base(&self, map: usize, y: u8, x: u8) -> usize {
        let tile_addr = map + (y as usize / 8) * 32 % 0x400 + (x as usize / 8) % 32;
        let tile = self.vram[tile_addr] as usize;
        let tile = if self.lcdc & 0x10 == 0 {
            (tile ^ 0x80) + 128
        } else {
            tile
        };
        tile * 16
    }

    fn bg_line(&mut self, y: usize, from: usize, to: usize, map: usize, yy: u8, xoff: i32) {
        let row = (yy % 8) as usize;
        let mut x = from;
        while x < to {
            let xx = (x as i32 + xoff) as u8;
            let base = self.map_tile_base(map, yy, xx);
            let mut col = (xx % 8) as usize;
            while col < 8 && x < to {
                let c = self.tile_pixel(base, row, col);
                self.screen[y * COLS + x] = self.color(self.bgp, c);
                self.attributes[y * COLS + x] = (c == 0) as u8 * COL0_FLAG;
                col += 1;
                x += 1;
            }
        }
    }

    #[inline(never)]
    fn scanline(&mut self, y: usize) {
        let bx = self.scx as i32;
        let by = self.scy as usize;
        let wx = self.wx as i32 - 7;
        let bgmap = if self.lcdc & 0x08 == 0 {
            0x1800
        } else {
            0x1C00
        };
        let winmap = if self.lcdc & 0x40 == 0 {
            0x1800
        } else {
            0x1C00
        };
        let bg_y = ((y + by) & 0xFF) as u8;
        if self.lcdc & 0x20 != 0 && self.wy_activated_frame && wx < COLS as i32 {
            self.ly_window += 1;
            let mut x = 0usize;
            if wx > 0 {
                self.bg_line(y, 0, wx as usize, bgmap, bg_y, bx);
                x = wx as usize;
            }
            let win_y = self.ly_window as u8;
            self.bg_line(y, x, COLS, winmap, win_y, -wx);
        } else if self.lcdc & 0x01 != 0 {
            self.bg_line(y, 0, COLS, bgmap, bg_y, bx);
        } else {
            let c = self.color(self.bgp, 0);
            for x in 0..COLS {
                self.screen[y * COLS + x] = c;
                self.attributes[y * COLS + x] = 0;
            }
        }
        if y == 143 {
            self.ly_window = -1;
        }
    }

    #[inline(never)]
    fn scanline_sprites(&mut self, ly: usize) {
        if self.lcdc & 0x02 == 0 {
            return;
        }
        let ly_i = ly as i32;
        let height = if self.lcdc & 0x04 != 0 { 16 } else { 8 };
        let mut keys = [0i32; 10];
        let mut count = 0;
        for n in (0..0xA0).step_by(4) {
            let y = self.oam[n] as i32 - 16;
            let x = self.oam[n + 1] as i32 - 8;
            if y <= ly_i && ly_i < y + height {
                keys[count] = x * 65536 + n as i32;
                count += 1;
            }
            if count == 10 {
                break;
            }
        }
        // Drawn from lowest to highest priority: larger X (then larger OAM index) first.
        let keys = &mut keys[..count];
        keys.sort_unstable_by(|a, b| b.cmp(a));
        for &key in keys.iter() {
            let n = (key & 0xFF) as usize;
            let y = self.oam[n] as i32 - 16;
            let mut x = self.oam[n + 1] as i32 - 8;
            let mut tile = self.oam[n + 2] as usize;
            if height == 16 {
                tile &= 0xFE;
            }
            let attr = self.oam[n + 3];
            let xflip = attr & 0x20 != 0;
            let yflip = attr & 0x40 != 0;
            let behind_bg = attr & 0x80 != 0;
            let palette = if attr & 0x10 != 0 {
                self.obp1
            } else {
                self.obp0
            };
            let dy = ly_i - y;
            let yy = if yflip { height - dy - 1 } else { dy } as usize;
            let base = tile * 16 + (yy / 8) * 16;
            for dx in 0..8usize {
                let xx = if xflip { 7 - dx } else { dx };
                let c = self.tile_pixel(base, yy % 8, xx);
                if (0..COLS as i32).contains(&x) && c != 0 {
                    let i = ly * COLS + x as usize;
                    if !behind_bg || self.attributes[i] & COL0_FLAG != 0 {
                        self.screen[i] = self.color(palette, c);
                    }
                }
                x += 1;
            }
        }
    }

    #[inline(never)]
    pub fn blank_screen(&mut self) {
        let c = self.color(self.bgp, 0);
        self.screen.iter_mut().for_each(|p| *p = c);
        self.attributes.iter_mut().for_each(|a| *a = 0);
    }

    pub fn save(&self, w: &mut StateWriter) {
        w.bytes(&self.vram[..]);
        w.bytes(&self.oam);
        for v in [
            self.lcdc,
            self.stat.value,
            self.stat.mode,
            self.stat.irq_line as u8,
            self.ly,
            self.lyc,
            self.scy,
            self.scx,
            self.wy,
            self.wx,
            self.bgp,
            self.obp0,
            self.obp1,
            self.next_stat_mode,
            self.stat_transition,
        ] {
            w.u8(v);
        }
        for v in [
            self.frame_done,
            self.first_frame,
            self.reset,
            self.stat_mode_override,
            self.lyc_changed_while_disabled,
            self.disable_renderer,
            self.wy_activated_frame,
        ] {
            w.bool(v);
        }
        w.u64(self.clock);
        w.u64(self.clock_target);
        w.u64(self.last_cycles);
        w.i64(self.cycles_to_interrupt);
        w.i64(self.cycles_to_frame);
        w.i64(self.mode3_adjustment);
        w.i32(self.ly_window);
        let screen: Vec<u8> = self.screen.iter().flat_map(|p| p.to_le_bytes()).collect();
        w.bytes(&screen);
        w.bytes(&self.attributes);
    }

    pub fn load(&mut self, r: &mut StateReader) -> Result<(), String> {
        r.bytes_into(&mut self.vram[..])?;
        r.bytes_into(&mut self.oam)?;
        self.sprites_stale = true;
        self.lcdc = r.u8()?;
        self.stat.value = r.u8()?;
        self.stat.mode = r.u8()?;
        self.stat.irq_line = r.bool()?;
        self.ly = r.u8()?;
        self.lyc = r.u8()?;
        self.scy = r.u8()?;
        self.scx = r.u8()?;
        self.wy = r.u8()?;
        self.wx = r.u8()?;
        self.bgp = r.u8()?;
        self.obp0 = r.u8()?;
        self.obp1 = r.u8()?;
        self.next_stat_mode = r.u8()?;
        self.stat_transition = r.u8()?;
        self.frame_done = r.bool()?;
        self.first_frame = r.bool()?;
        self.reset = r.bool()?;
        self.stat_mode_override = r.bool()?;
        self.lyc_changed_while_disabled = r.bool()?;
        self.disable_renderer = r.bool()?;
        self.wy_activated_frame = r.bool()?;
        self.clock = r.u64()?;
        self.clock_target = r.u64()?;
        self.last_cycles = r.u64()?;
        self.cycles_to_interrupt = r.i64()?;
        self.cycles_to_frame = r.i64()?;
        self.mode3_adjustment = r.i64()?;
        self.ly_window = r.i32()?;
        let mut screen = vec![0u8; ROWS * COLS * 4];
        r.bytes_into(&mut screen)?;
        for (p, b) in self.screen.iter_mut().zip(screen.chunks_exact(4)) {
            *p = u32::from_le_bytes(b.try_into().unwrap());
        }
        r.bytes_into(&mut self.attributes)?;
        Ok(())
    }
}

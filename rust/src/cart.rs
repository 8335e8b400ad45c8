//! Cartridges: ROM only, MBC1 and MBC5, with PyBoy 2.8.1's bank arithmetic.

use crate::state::{StateReader, StateWriter};

const BANK: usize = 0x4000;
const RAM_BANK: usize = 0x2000;
/// PyBoy always allocates 16 RAM banks, whatever the header says.
const RAM_BANKS_ALLOCATED: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mbc {
    RomOnly,
    Mbc1,
    Mbc5,
}

#[derive(Clone)]
pub struct Cartridge {
    pub rom: Vec<u8>,
    pub kind: Mbc,
    pub carttype: u8,
    pub rom_banks: usize,
    pub ram_banks: usize,
    pub ram: Vec<u8>,
    pub rombank_selected: usize,
    pub rombank_selected_low: usize,
    pub rambank_selected: usize,
    pub rambank_enabled: bool,
    pub memorymodel: u8,
    // MBC1 registers
    pub bank_select_register1: u8,
    pub bank_select_register2: u8,
    pub multicart: bool,
    // MBC5
    pub rumble_supported: bool,
    pub rumble_enabled: bool,
}

pub fn header_checksum(rom: &[u8]) -> u8 {
    rom[0x134..0x14D].iter().fold(0u8, |x, b| x.wrapping_sub(*b).wrapping_sub(1))
}

impl Cartridge {
    pub fn new(rom: &[u8]) -> Result<Cartridge, String> {
        if rom.is_empty() {
            return Err("ROM is empty: pass the bytes of a Game Boy ROM image".into());
        }
        if rom.len() % BANK != 0 {
            return Err(format!(
                "ROM length {} is not a multiple of 16 KiB (16384 bytes); pad the image to a whole number of banks",
                rom.len()
            ));
        }
        let want = header_checksum(rom);
        if rom[0x14D] != want {
            return Err(format!(
                "Cartridge header checksum mismatch: byte 0x14D is {:#04x} but the header sums to {:#04x}; \
                 fix 0x14D (x=0; for b in rom[0x134:0x14D]: x=(x-b-1)&0xFF)",
                rom[0x14D], want
            ));
        }
        let carttype = rom[0x147];
        let (kind, sram) = match carttype {
            0x00 => (Mbc::RomOnly, false),
            0x08 | 0x09 => (Mbc::RomOnly, true),
            0x01 => (Mbc::Mbc1, false),
            0x02 | 0x03 => (Mbc::Mbc1, true),
            0x19 | 0x1C => (Mbc::Mbc5, false),
            0x1A | 0x1B | 0x1D | 0x1E => (Mbc::Mbc5, true),
            0x05 | 0x06 | 0x0F | 0x10 | 0x11 | 0x12 | 0x13 => {
                return Err(format!(
                    "cartridge type {:#04x} (MBC2/MBC3) is not supported by emurust; use ROM only (0x00), MBC1 (0x01-0x03) or MBC5 (0x19-0x1E)",
                    carttype
                ))
            }
            _ => {
                return Err(format!(
                    "Cartridge type invalid: {:#04x} at header byte 0x147; use 0x00 (ROM only), 0x01-0x03 (MBC1) or 0x19-0x1E (MBC5)",
                    carttype
                ))
            }
        };
        let ram_banks = match rom[0x149] {
            0x00 | 0x01 | 0x02 => 1,
            0x03 => 4,
            0x04 => 16,
            0x05 => 8,
            other => {
                return Err(format!(
                    "RAM size code {:#04x} at header byte 0x149 is unknown; use 0x00-0x05",
                    other
                ))
            }
        };
        let rom_banks = rom.len() / BANK;
        let mut cart = Cartridge {
            rom: rom.to_vec(),
            kind,
            carttype,
            rom_banks,
            ram_banks,
            ram: vec![0; RAM_BANK * RAM_BANKS_ALLOCATED],
            rombank_selected: 1,
            rombank_selected_low: 0,
            rambank_selected: 0,
            rambank_enabled: false,
            memorymodel: 0,
            bank_select_register1: 1,
            bank_select_register2: 0,
            multicart: false,
            rumble_supported: matches!(carttype, 0x1C | 0x1D | 0x1E),
            rumble_enabled: false,
        };
        match kind {
            Mbc::RomOnly => cart.rambank_enabled = sram,
            Mbc::Mbc1 => {
                cart.multicart = rom_banks == 64
                    && (1..rom_banks).all(|b| (0x104..0x134).all(|a| rom[b * BANK + a] == rom[a]));
            }
            Mbc::Mbc5 => {}
        }
        Ok(cart)
    }

    /// Byte of ROM bank `bank` at `offset` (may be negative, like the compiled reference's
    /// unchecked 2-D index, which then lands in the previous bank).
    #[inline(always)]
    pub fn rom_byte(&self, bank: usize, offset: isize) -> u8 {
        let idx = (bank * BANK) as isize + offset;
        if idx >= 0 && (idx as usize) < self.rom.len() {
            self.rom[idx as usize]
        } else {
            0xFF
        }
    }

    #[inline(always)]
    pub fn read_rom_low(&self, addr: u16) -> u8 {
        self.rom_byte(self.rombank_selected_low, addr as isize)
    }

    #[inline(always)]
    pub fn read_rom_high(&self, addr: u16) -> u8 {
        self.rom_byte(self.rombank_selected, addr as isize - 0x4000)
    }

    pub fn override_rom(&mut self, bank: usize, offset: usize, value: u8) -> Result<(), String> {
        if bank >= self.rom_banks || offset >= BANK {
            return Err(format!(
                "ROM override out of bounds: bank {} offset {:#06x} (the ROM has {} banks of 0x4000 bytes)",
                bank, offset, self.rom_banks
            ));
        }
        self.rom[bank * BANK + offset] = value;
        Ok(())
    }

    pub fn read_ram(&mut self, addr: u16) -> u8 {
        if !self.rambank_enabled {
            return 0xFF;
        }
        if self.kind == Mbc::Mbc1 {
            self.rambank_selected = if self.memorymodel == 1 {
                self.bank_select_register2 as usize % self.ram_banks
            } else {
                0
            };
        }
        self.ram[self.rambank_selected * RAM_BANK + (addr as usize - 0xA000)]
    }

    pub fn write(&mut self, addr: u16, value: u8) {
        match self.kind {
            Mbc::RomOnly => {
                if (0x2000..0x4000).contains(&addr) {
                    let v = if value == 0 { 1 } else { value };
                    self.rombank_selected = (v & 1) as usize;
                } else if (0xA000..0xC000).contains(&addr) {
                    self.ram[self.rambank_selected * RAM_BANK + (addr as usize - 0xA000)] = value;
                }
            }
            Mbc::Mbc1 => self.write_mbc1(addr, value),
            Mbc::Mbc5 => self.write_mbc5(addr, value),
        }
    }

    fn write_mbc1(&mut self, addr: u16, value: u8) {
        match addr {
            0x0000..=0x1FFF => self.rambank_enabled = (value & 0x0F) == 0x0A,
            0x2000..=0x3FFF => {
                let v = value & 0x1F;
                self.bank_select_register1 = if v == 0 { 1 } else { v };
            }
            0x4000..=0x5FFF => self.bank_select_register2 = value & 0x03,
            0x6000..=0x7FFF => self.memorymodel = value & 1,
            0xA000..=0xBFFF => {
                if self.rambank_enabled {
                    self.rambank_selected =
                        if self.memorymodel == 1 { self.bank_select_register2 as usize } else { 0 };
                    let bank = self.rambank_selected % self.ram_banks;
                    self.ram[bank * RAM_BANK + (addr as usize - 0xA000)] = value;
                }
            }
            _ => {}
        }
        let r1 = self.bank_select_register1 as usize;
        let r2 = self.bank_select_register2 as usize;
        if self.memorymodel == 1 {
            let shift = if self.multicart { 4 } else { 5 };
            self.rombank_selected_low = (r2 << shift) % self.rom_banks;
        } else {
            self.rombank_selected_low = 0;
        }
        if self.multicart {
            let mut sel = (r2 << 4) | (r1 & 0x0F);
            if r1 & 0x0F == 0 && r1 & 0x10 == 0 {
                sel |= 1;
            }
            self.rombank_selected = sel % self.rom_banks;
        } else {
            self.rombank_selected = ((r2 << 5) | r1) % self.rom_banks;
        }
    }

    fn write_mbc5(&mut self, addr: u16, value: u8) {
        match addr {
            0x0000..=0x1FFF => self.rambank_enabled = value == 0x0A,
            0x2000..=0x2FFF => {
                self.rombank_selected = ((self.rombank_selected & 0x100) | value as usize) % self.rom_banks
            }
            0x3000..=0x3FFF => {
                self.rombank_selected =
                    ((((value & 1) as usize) << 8) | (self.rombank_selected & 0xFF)) % self.rom_banks
            }
            0x4000..=0x5FFF => {
                self.rambank_selected = (value & 0x0F) as usize % self.ram_banks;
                if self.rumble_supported {
                    self.rumble_enabled = value & 0x08 != 0;
                }
            }
            0xA000..=0xBFFF => {
                if self.rambank_enabled {
                    self.ram[self.rambank_selected * RAM_BANK + (addr as usize - 0xA000)] = value;
                }
            }
            _ => {}
        }
    }

    pub fn save(&self, w: &mut StateWriter) {
        w.usize(self.rombank_selected);
        w.usize(self.rombank_selected_low);
        w.usize(self.rambank_selected);
        w.bool(self.rambank_enabled);
        w.u8(self.memorymodel);
        w.u8(self.bank_select_register1);
        w.u8(self.bank_select_register2);
        w.bool(self.rumble_enabled);
        w.bytes(&self.ram);
    }

    pub fn load(&mut self, r: &mut StateReader) -> Result<(), String> {
        self.rombank_selected = r.usize()?;
        self.rombank_selected_low = r.usize()?;
        self.rambank_selected = r.usize()?;
        self.rambank_enabled = r.bool()?;
        self.memorymodel = r.u8()?;
        self.bank_select_register1 = r.u8()?;
        self.bank_select_register2 = r.u8()?;
        self.rumble_enabled = r.bool()?;
        r.bytes_into(&mut self.ram)?;
        if self.rombank_selected >= self.rom_banks.max(2) || self.rombank_selected_low >= self.rom_banks {
            return Err("state does not fit this ROM (bank out of range): load it into an emulator made from the same ROM".into());
        }
        Ok(())
    }
}

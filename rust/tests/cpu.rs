//! CPU unit tests: flags, T-cycle counts and PyBoy-specific behaviour, one instruction at a
//! time through the public `GameBoy::step` (the reference's 4-cycle coordinator pass).

use emurust::gb::{GameBoy, FLAG_C, FLAG_H, FLAG_N, FLAG_Z};

/// A 32 KiB ROM-only image that parks the CPU in `DI; JR -2` at 0x150.
fn rom() -> Vec<u8> {
    let mut r = vec![0u8; 0x8000];
    r[0x100..0x104].copy_from_slice(&[0x00, 0xC3, 0x50, 0x01]);
    r[0x150..0x153].copy_from_slice(&[0xF3, 0x18, 0xFE]);
    r[0x14D] = emurust::cart::header_checksum(&r);
    r
}

/// Boots past the built-in boot ROM, then places `code` at 0xC100 and points PC at it.
fn gb_with(code: &[u8]) -> GameBoy {
    let mut gb = GameBoy::new(&rom(), None, true).unwrap();
    gb.run_frames(2, false).unwrap();
    for (i, b) in code.iter().enumerate() {
        gb.write(0xC100 + i as u16, *b);
    }
    gb.r.pc = 0xC100;
    gb.r.sp = 0xDFF0;
    gb.ime = false;
    gb.ie_delay = 0;
    gb.if_reg = 0;
    gb.ie_reg = 0;
    gb
}

fn step(gb: &mut GameBoy) -> u32 {
    gb.step().unwrap()
}

#[test]
fn power_on_state_matches_reference() {
    let mut gb = GameBoy::new(&rom(), None, true).unwrap();
    let want: [u8; 0x4C] = [
        0x00, 0xFF, 0x7E, 0xFF, 0x00, 0x00, 0x00, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xE0, //
        0x80, 0x3F, 0x00, 0xFF, 0xBF, 0xFF, 0x3F, 0x00, 0xFF, 0xBF, 0x7F, 0xFF, 0x9F, 0xFF, 0xBF, 0xFF, //
        0xFF, 0x00, 0x00, 0xBF, 0x00, 0x00, 0x70, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, //
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, //
        0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFC, 0xFF, 0xFF, 0x00, 0x00,
    ];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(gb.read(0xFF00 + i as u16), *w, "FF{:02X}", i);
    }
    assert_eq!(gb.read(0xFF50), 0xFF);
    assert_eq!(gb.read(0xFFFF), 0x00);
}

#[test]
fn boot_rom_reaches_cartridge_with_dmg_registers() {
    let mut gb = GameBoy::new(&rom(), None, true).unwrap();
    gb.run_frames(2, false).unwrap();
    assert!(!gb.bootrom_enabled);
    let r = gb.r;
    assert_eq!((r.a, r.f, r.b, r.c, r.d, r.e, r.hl, r.sp), (0x01, 0xB0, 0x00, 0x13, 0x00, 0xD8, 0x014D, 0xFFFE));
}

#[test]
fn nop_and_loads_take_reference_cycles() {
    // (code, cycles) pairs, straight from the reference's generated opcode table.
    let cases: &[(&[u8], u32)] = &[
        (&[0x00], 4),
        (&[0x01, 0x34, 0x12], 12),
        (&[0x08, 0x00, 0xC2], 20),
        (&[0x36, 0x55], 12),
        (&[0x7E], 8),
        (&[0x77], 8),
        (&[0xE0, 0x80], 12),
        (&[0xF0, 0x80], 12),
        (&[0xEA, 0x00, 0xC2], 16),
        (&[0xFA, 0x00, 0xC2], 16),
        (&[0xC5], 16),
        (&[0xC1], 12),
        (&[0xE8, 0x05], 16),
        (&[0xF8, 0x05], 12),
        (&[0xF9], 8),
        (&[0x34], 12),
        (&[0xCB, 0x11], 8),
        (&[0xCB, 0x46], 12),
        (&[0xCB, 0x86], 16),
        (&[0x10, 0x00], 4),
        (&[0xE9], 4),
        (&[0xC3, 0x00, 0xC2], 16),
        (&[0xCD, 0x00, 0xC2], 24),
        (&[0xC9], 16),
        (&[0xD9], 16),
        (&[0xFF], 16),
    ];
    for (code, cycles) in cases {
        let mut gb = gb_with(code);
        gb.r.hl = 0xC200;
        assert_eq!(step(&mut gb), *cycles, "opcode {:02X?}", code);
    }
}

#[test]
fn conditional_branches_cost_more_when_taken() {
    for (op, taken, not_taken) in [(0x20u8, 12, 8), (0xC2, 16, 12), (0xC4, 24, 12), (0xC0, 20, 8)] {
        let mut gb = gb_with(&[op, 0x00, 0xC2]);
        gb.r.f = 0; // NZ holds
        assert_eq!(step(&mut gb), taken, "{:02X} taken", op);
        let mut gb = gb_with(&[op, 0x00, 0xC2]);
        gb.r.f = FLAG_Z;
        assert_eq!(step(&mut gb), not_taken, "{:02X} not taken", op);
    }
}

#[test]
fn add_sets_half_carry_and_carry() {
    let mut gb = gb_with(&[0xC6, 0x01]); // ADD A,1
    gb.r.a = 0xFF;
    step(&mut gb);
    assert_eq!(gb.r.a, 0x00);
    assert_eq!(gb.r.f, FLAG_Z | FLAG_H | FLAG_C);
    let mut gb = gb_with(&[0xCE, 0x0F]); // ADC A,0x0F with carry
    gb.r.a = 0x00;
    gb.r.f = FLAG_C;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x10, FLAG_H));
}

#[test]
fn sub_and_compare_flags() {
    let mut gb = gb_with(&[0xD6, 0x01]); // SUB 1
    gb.r.a = 0x10;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x0F, FLAG_N | FLAG_H));
    let mut gb = gb_with(&[0xFE, 0x20]); // CP 0x20
    gb.r.a = 0x10;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x10, FLAG_N | FLAG_C));
    let mut gb = gb_with(&[0xDE, 0x00]); // SBC A,0 with carry: 0 - 0 - 1
    gb.r.a = 0x00;
    gb.r.f = FLAG_C;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0xFF, FLAG_N | FLAG_H | FLAG_C));
}

#[test]
fn inc_dec_keep_carry() {
    let mut gb = gb_with(&[0x3C]); // INC A
    gb.r.a = 0x0F;
    gb.r.f = FLAG_C;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x10, FLAG_H | FLAG_C));
    let mut gb = gb_with(&[0x05]); // DEC B
    gb.r.b = 0x01;
    gb.r.f = 0;
    step(&mut gb);
    assert_eq!((gb.r.b, gb.r.f), (0x00, FLAG_Z | FLAG_N));
}

#[test]
fn daa_after_add_sets_carry() {
    let mut gb = gb_with(&[0x27]);
    gb.r.a = 0x20;
    gb.r.f = FLAG_C; // as after 0x90 + 0x90
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x80, FLAG_C));
    let mut gb = gb_with(&[0x27]);
    gb.r.a = 0x9A;
    gb.r.f = 0;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x00, FLAG_Z | FLAG_C));
}

#[test]
fn rotates_clear_z_for_accumulator_forms_only() {
    let mut gb = gb_with(&[0x07]); // RLCA of 0 keeps Z clear
    gb.r.a = 0x00;
    step(&mut gb);
    assert_eq!(gb.r.f, 0);
    let mut gb = gb_with(&[0xCB, 0x07]); // RLC A of 0 sets Z
    gb.r.a = 0x00;
    step(&mut gb);
    assert_eq!(gb.r.f, FLAG_Z);
    let mut gb = gb_with(&[0xCB, 0x2F]); // SRA A keeps bit 7
    gb.r.a = 0x81;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0xC0, FLAG_C));
    let mut gb = gb_with(&[0xCB, 0x37]); // SWAP A
    gb.r.a = 0xA5;
    gb.r.f = FLAG_C;
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x5A, 0));
}

#[test]
fn bit_keeps_carry_and_sets_half_carry() {
    let mut gb = gb_with(&[0xCB, 0x7C]); // BIT 7,H
    gb.r.hl = 0x7F00;
    gb.r.f = FLAG_C;
    step(&mut gb);
    assert_eq!(gb.r.f, FLAG_Z | FLAG_H | FLAG_C);
}

#[test]
fn add_sp_flags_come_from_low_byte() {
    let mut gb = gb_with(&[0xE8, 0xFF]); // ADD SP,-1
    gb.r.sp = 0x0001;
    step(&mut gb);
    assert_eq!((gb.r.sp, gb.r.f), (0x0000, FLAG_H | FLAG_C));
    let mut gb = gb_with(&[0x09]); // ADD HL,BC keeps Z
    gb.r.hl = 0x0FFF;
    gb.r.b = 0x00;
    gb.r.c = 0x01;
    gb.r.f = FLAG_Z;
    step(&mut gb);
    assert_eq!((gb.r.hl, gb.r.f), (0x1000, FLAG_Z | FLAG_H));
}

#[test]
fn push_pop_af_masks_low_nibble() {
    let mut gb = gb_with(&[0xC5, 0xF1]); // PUSH BC; POP AF
    gb.r.b = 0x12;
    gb.r.c = 0xFF;
    step(&mut gb);
    step(&mut gb);
    assert_eq!((gb.r.a, gb.r.f), (0x12, 0xF0));
}

#[test]
fn ei_enables_after_the_next_instruction() {
    let mut gb = gb_with(&[0xFB, 0x00, 0x00]);
    step(&mut gb);
    assert!(!gb.ime);
    assert_eq!(gb.ie_delay, 1);
    step(&mut gb);
    assert!(gb.ime);
    assert_eq!(gb.ie_delay, 0);
}

#[test]
fn interrupt_dispatch_takes_20_cycles_and_pushes_pc() {
    let mut gb = gb_with(&[0x00]);
    gb.ime = true;
    gb.ie_reg = 0x04;
    gb.if_reg = 0x04;
    let c = step(&mut gb);
    assert_eq!(c, 20);
    assert_eq!(gb.r.pc, 0x0050);
    assert_eq!(gb.r.sp, 0xDFEE);
    assert_eq!((gb.read(0xDFEE), gb.read(0xDFEF)), (0x00, 0xC1));
    assert!(!gb.ime);
    assert_eq!(gb.if_reg, 0);
}

#[test]
fn halt_keeps_pc_on_the_halt_and_wakes_past_it() {
    let mut gb = gb_with(&[0x76, 0x00]);
    gb.ie_reg = 0x01;
    step(&mut gb);
    assert!(gb.halted);
    assert_eq!(gb.r.pc, 0xC100, "PC stays on HALT while halted");
    gb.if_reg = 0x01; // IME off: wake and skip the HALT, no dispatch
    step(&mut gb);
    assert!(!gb.halted);
    assert!(gb.r.pc >= 0xC101);
}

#[test]
fn illegal_opcode_is_reported_not_hung() {
    let mut gb = gb_with(&[0xD3]);
    assert!(gb.step().is_err());
    assert!(gb.run_frame(false).is_err());
}

#[test]
fn joypad_reads_latched_value_and_press_raises_interrupt() {
    let mut gb = gb_with(&[]);
    gb.set_buttons(0b0001_0001); // right + a
    assert_eq!(gb.if_reg & 0x10, 0x10);
    gb.write(0xFF00, 0x20); // select d-pad
    assert_eq!(gb.read(0xFF00), 0xCE);
    gb.set_buttons(0);
    assert_eq!(gb.read(0xFF00), 0xCE, "P1 holds the value latched at the last write");
    gb.write(0xFF00, 0x10); // select buttons
    assert_eq!(gb.read(0xFF00), 0xCF, "the selected nibble replaces bits 0-5, as in the reference");
}

#[test]
fn save_and_load_state_round_trip() {
    let mut a = GameBoy::new(&rom(), None, true).unwrap();
    a.run_frames(5, true).unwrap();
    let s = a.save_state();
    let mut b = GameBoy::new(&rom(), None, true).unwrap();
    b.load_state(&s).unwrap();
    a.run_frames(3, true).unwrap();
    b.run_frames(3, true).unwrap();
    assert_eq!(a.save_state(), b.save_state());
    assert!(b.load_state(&s[..100]).is_err());
}

#[test]
fn header_checksum_is_required() {
    let mut r = rom();
    r[0x14D] ^= 1;
    let err = GameBoy::new(&r, None, true).err().unwrap();
    assert!(err.contains("checksum"), "{}", err);
}

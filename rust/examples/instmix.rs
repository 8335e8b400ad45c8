//! Instruction mix of a ROM: steps one instruction at a time (the same instructions a frame
//! runs) and prints instructions per frame, cycles per instruction and the hottest opcodes:
//! `cargo run --release --example instmix -- rom.gb [frames] [boot.bin]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rom = std::fs::read(&args[1]).expect("read rom");
    let frames: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(200);
    let boot = args.get(3).map(|p| std::fs::read(p).expect("read boot rom"));
    let mut gb = emurust::GameBoy::new(&rom, boot.as_deref(), false).expect("rom");
    gb.run_frames(120, false).unwrap();
    let mut counts = [0u64; 256];
    let (start, mut n) = (gb.cycles, 0u64);
    let mut pcs = std::collections::HashMap::<u16, u64>::new();
    while gb.cycles - start < frames as i64 * 70224 {
        let pc = gb.r.pc;
        counts[gb.debug_read(pc) as usize] += 1;
        *pcs.entry(pc & 0xF000).or_default() += 1;
        gb.step().unwrap();
        n += 1;
    }
    let cyc = (gb.cycles - start) as f64;
    println!("{:.0} instructions/frame, {:.2} cycles/instruction", n as f64 / frames as f64, cyc / n as f64);
    let mut v: Vec<_> = (0..256).map(|o| (counts[o], o)).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    for (c, o) in v.iter().take(16) {
        println!("{:02X} {:5.1}%", o, 100.0 * *c as f64 / n as f64);
    }
    let mut p: Vec<_> = pcs.into_iter().collect();
    p.sort_unstable_by(|a, b| b.1.cmp(&a.1));
    for (k, c) in p.iter().take(5) {
        println!("PC {:04X}-: {:5.1}%", k, 100.0 * *c as f64 / n as f64);
    }
}

//! Run a ROM headless, no rendering, and print frames/s:
//! `cargo run --release --example runrom -- rom.gb [frames] [boot.bin]` (sound emulation off).
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rom = std::fs::read(&args[1]).expect("read rom");
    let frames: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(2000);
    let boot = args
        .get(3)
        .map(|p| std::fs::read(p).expect("read boot rom"));
    let mut gb = emurust::GameBoy::new(&rom, boot.as_deref(), false).expect("rom");
    gb.run_frames(120, false).unwrap();
    let t = Instant::now();
    gb.run_frames(frames, false).unwrap();
    let dt = t.elapsed().as_secs_f64();
    println!("{:.0} frames/s", frames as f64 / dt);
}

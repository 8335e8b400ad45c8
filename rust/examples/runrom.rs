//! Run a ROM headless, no rendering, with a pseudo-random button mask before every frame (as
//! the bench does), and print frames/s:
//! `cargo run --release --example runrom -- rom.gb [frames] [boot.bin]` (sound emulation off).
//! Also frames per CPU-second (this thread's run time from /proc/self/schedstat, where there is
//! one): steadier than wall time on a shared machine.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rom = std::fs::read(&args[1]).expect("read rom");
    let frames: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(2000);
    let boot = args.get(3).map(|p| std::fs::read(p).expect("read boot rom"));
    let mut gb = emurust::GameBoy::new(&rom, boot.as_deref(), false).expect("rom");
    let mut x: u32 = 0x9E37_79B9;
    let mut run = |gb: &mut emurust::GameBoy, n: u64| {
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            gb.set_buttons((x >> 24) as u8);
            gb.run_frame(false).unwrap();
        }
    };
    run(&mut gb, 120);
    let (t, c) = (Instant::now(), cpu_ns());
    run(&mut gb, frames);
    let dt = t.elapsed().as_secs_f64();
    match (c, cpu_ns()) {
        (Some(a), Some(b)) => println!(
            "{:.0} frames/s {:.0} frames/cpu-s",
            frames as f64 / dt,
            frames as f64 / ((b - a) as f64 * 1e-9)
        ),
        _ => println!("{:.0} frames/s", frames as f64 / dt),
    }
}

/// Nanoseconds this process has run on a CPU (Linux), if known.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

//! `run_frame` against `run_frame_full_passes` (the frame pass by pass in full), full save state
//! compared after every frame, random buttons and rendering: `cargo run --release --example
//! frameloop_diff -- boot.bin frames rom.gb...` (the Python test tests/gameboy/test_frame_loop.py
//! does the same through the wheel).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let boot = std::fs::read(&args[1]).expect("read boot rom");
    let frames: u64 = args[2].parse().expect("frames");
    let mut bad = 0;
    for path in &args[3..] {
        let rom = std::fs::read(path).expect("read rom");
        let mut fast = emurust::GameBoy::new(&rom, Some(&boot), false).expect("rom");
        let mut full = fast.clone();
        let mut x: u32 = 0x2545_F491;
        for frame in 0..frames {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if x & 3 == 0 {
                fast.set_buttons((x >> 24) as u8);
                full.set_buttons((x >> 24) as u8);
            }
            let render = x & 4 != 0;
            let a = fast.run_frame(render);
            let b = full.run_frame_full_passes(render);
            if a.is_err() != b.is_err() || fast.save_state() != full.save_state() {
                println!("{path}: frame {frame}: the states differ");
                bad += 1;
                break;
            }
        }
    }
    println!("{} of {} ROMs identical over {} frames", args.len() - 3 - bad, args.len() - 3, frames);
    std::process::exit(if bad > 0 { 1 } else { 0 });
}

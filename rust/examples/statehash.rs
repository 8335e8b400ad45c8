//! A fingerprint of a run, for checking that a restructured core behaves the same as before:
//! for each ROM, N frames with a pseudo-random button mask before each (rendering every 7th),
//! then one line with a hash of every frame's full save state and framebuffer.
//! `cargo run --release --example statehash -- boot.bin frames rom.gb...`; compare the output
//! of two builds.
use std::hash::{Hash, Hasher};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let boot = std::fs::read(&args[1]).expect("read boot rom");
    let frames: u64 = args[2].parse().expect("frames");
    for path in &args[3..] {
        let rom = std::fs::read(path).expect("read rom");
        for full in [false, true] {
            let mut gb = emurust::GameBoy::new(&rom, Some(&boot), false).expect("rom");
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let mut x: u32 = 0x9E37_79B9;
            for i in 0..frames {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                gb.set_buttons((x >> 24) as u8);
                let render = i % 7 == 0;
                let r = if full { gb.run_frame_full_passes(render) } else { gb.run_frame(render) };
                if r.is_err() {
                    break;
                }
                gb.save_state().hash(&mut h);
                gb.lcd.screen.hash(&mut h);
            }
            println!("{} {} {:016x}", path.rsplit('/').next().unwrap(), if full { "full" } else { "fast" }, h.finish());
        }
    }
}

//! PyO3 bindings: `emurust.Emulator` (one Game Boy) and `emurust.VecEmulator` (N of them
//! stepped in parallel with rayon, one Python call per batch step, without the GIL).

use std::os::raw::{c_int, c_void};

use numpy::npyffi::{self, npy_intp, NpyTypes, PY_ARRAY_API};
use numpy::{Element, PyArray4, PyArrayDescrMethods, PyReadonlyArray1, PyUntypedArrayMethods};
use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict};
use rayon::prelude::*;

use crate::gb::{default_boot_rom, Field, GameBoy, BUTTON_NAMES};
use crate::lcd::{COLS, ROWS};

fn to_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.downcast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    let py = obj.py();
    match py.import("builtins")?.getattr("bytes")?.call1((obj,)) {
        Ok(b) => Ok(b.downcast::<PyBytes>()?.as_bytes().to_vec()),
        Err(_) => Err(PyValueError::new_err(format!(
            "{} must be bytes-like (bytes, bytearray, memoryview), got {}",
            what,
            obj.get_type().name()?
        ))),
    }
}

fn make_gb(rom: &Bound<'_, PyAny>, boot_rom: Option<&Bound<'_, PyAny>>, sound_emulated: bool) -> PyResult<GameBoy> {
    let rom = to_bytes(rom, "rom")?;
    let boot = match boot_rom {
        None => None,
        Some(b) if b.is_none() => None,
        Some(b) => Some(to_bytes(b, "boot_rom")?),
    };
    GameBoy::new(&rom, boot.as_deref(), sound_emulated).map_err(PyValueError::new_err)
}

fn err(e: String) -> PyErr {
    PyRuntimeError::new_err(e)
}

fn check_addr(addr: i64) -> PyResult<u16> {
    if !(0..=0xFFFF).contains(&addr) {
        return Err(PyIndexError::new_err(format!("address {:#x} is outside the 16-bit bus (0..0xFFFF)", addr)));
    }
    Ok(addr as u16)
}

fn check_byte(value: i64) -> PyResult<u8> {
    if !(0..=0xFF).contains(&value) {
        return Err(PyValueError::new_err(format!("value {} does not fit in a byte (0..255)", value)));
    }
    Ok(value as u8)
}

fn button_bit(name: &str) -> PyResult<u8> {
    BUTTON_NAMES
        .iter()
        .position(|n| *n == name.to_ascii_lowercase())
        .map(|i| 1u8 << i)
        .ok_or_else(|| {
            PyValueError::new_err(format!("unknown button {:?}; use one of {}", name, BUTTON_NAMES.join(", ")))
        })
}

fn registers_dict<'py>(py: Python<'py>, gb: &GameBoy) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let r = &gb.r;
    d.set_item("a", r.a)?;
    d.set_item("f", r.f)?;
    d.set_item("b", r.b)?;
    d.set_item("c", r.c)?;
    d.set_item("d", r.d)?;
    d.set_item("e", r.e)?;
    d.set_item("h", (r.hl >> 8) as u8)?;
    d.set_item("l", r.hl as u8)?;
    d.set_item("sp", r.sp)?;
    d.set_item("pc", r.pc)?;
    Ok(d)
}

fn screen_bytes(gb: &GameBoy) -> impl Iterator<Item = u8> + '_ {
    gb.lcd.screen.iter().flat_map(|p| p.to_le_bytes())
}

/// One emulated DMG Game Boy.
#[pyclass(module = "emurust")]
pub struct Emulator {
    gb: GameBoy,
}

#[pymethods]
impl Emulator {
    #[new]
    #[pyo3(signature = (rom, boot_rom=None, sound_emulated=true))]
    fn new(rom: &Bound<'_, PyAny>, boot_rom: Option<&Bound<'_, PyAny>>, sound_emulated: bool) -> PyResult<Self> {
        Ok(Emulator { gb: make_gb(rom, boot_rom, sound_emulated)? })
    }

    /// Execute one instruction (or one interrupt dispatch or halted fast-forward); T-cycles used.
    fn step(&mut self) -> PyResult<u32> {
        self.gb.step().map_err(err)
    }

    /// Run to the next frame boundary, as PyBoy's `tick()` defines it.
    #[pyo3(signature = (render=true))]
    fn run_frame(&mut self, py: Python<'_>, render: bool) -> PyResult<()> {
        let gb = &mut self.gb;
        py.allow_threads(move || gb.run_frame(render)).map_err(err)
    }

    /// Test-only: `run_frame` with every coordinator pass in full (no lazy catch-up, no halted
    /// fast-forward), the definition `run_frame` must match byte for byte.
    #[pyo3(signature = (render=true))]
    fn run_frame_full_passes(&mut self, render: bool) -> PyResult<()> {
        self.gb.run_frame_full_passes(render).map_err(err)
    }

    /// Run `n` frames; with `render`, only the last one is drawn (like `tick(n, render)`).
    #[pyo3(signature = (n, render=true))]
    fn run_frames(&mut self, py: Python<'_>, n: u64, render: bool) -> PyResult<()> {
        let gb = &mut self.gb;
        py.allow_threads(move || gb.run_frames(n, render)).map_err(err)
    }

    /// Test-only: move one flag edge by one value (`emurust.MUTANTS` names them; "none" undoes it),
    /// so tests can show the equivalence gate catches such a port.
    fn mutate(&mut self, name: &str) -> PyResult<()> {
        self.gb.mutate(name).map_err(PyValueError::new_err)
    }

    /// Set all buttons: bits 0..7 = right, left, up, down, a, b, select, start (1 = pressed).
    fn set_buttons(&mut self, mask: i64) -> PyResult<()> {
        self.gb.set_buttons(check_byte(mask)?);
        Ok(())
    }

    fn press(&mut self, name: &str) -> PyResult<()> {
        let m = self.gb.buttons | button_bit(name)?;
        self.gb.set_buttons(m);
        Ok(())
    }

    fn release(&mut self, name: &str) -> PyResult<()> {
        let m = self.gb.buttons & !button_bit(name)?;
        self.gb.set_buttons(m);
        Ok(())
    }

    #[getter]
    fn buttons(&self) -> u8 {
        self.gb.buttons
    }

    fn registers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        registers_dict(py, &self.gb)
    }

    /// Set registers by name: a f b c d e h l sp pc (and hl). F keeps only its top 4 bits.
    #[pyo3(signature = (**kw))]
    fn set_registers(&mut self, kw: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let Some(kw) = kw else { return Ok(()) };
        for (k, v) in kw.iter() {
            let name: String = k.extract()?;
            let v: i64 = v.extract()?;
            let wide = matches!(name.as_str(), "sp" | "pc" | "hl");
            let max = if wide { 0xFFFF } else { 0xFF };
            if !(0..=max).contains(&v) {
                return Err(PyValueError::new_err(format!("register {} value {} out of range 0..{}", name, v, max)));
            }
            let r = &mut self.gb.r;
            match name.as_str() {
                "a" => r.a = v as u8,
                "f" => r.f = v as u8 & 0xF0,
                "b" => r.b = v as u8,
                "c" => r.c = v as u8,
                "d" => r.d = v as u8,
                "e" => r.e = v as u8,
                "h" => r.hl = (r.hl & 0x00FF) | ((v as u16) << 8),
                "l" => r.hl = (r.hl & 0xFF00) | v as u16,
                "hl" => r.hl = v as u16,
                "sp" => r.sp = v as u16,
                "pc" => r.pc = v as u16,
                _ => {
                    return Err(PyValueError::new_err(format!(
                        "unknown register {:?}; use a, f, b, c, d, e, h, l, hl, sp, pc",
                        name
                    )))
                }
            }
        }
        Ok(())
    }

    /// Read the bus like `pyboy.memory[addr]` (same side effects: components catch up).
    fn peek(&mut self, addr: i64) -> PyResult<u8> {
        let a = check_addr(addr)?;
        Ok(self.gb.read(a))
    }

    /// Write the bus like `pyboy.memory[addr] = value` (MBC registers in 0..0x7FFF).
    fn poke(&mut self, addr: i64, value: i64) -> PyResult<()> {
        let a = check_addr(addr)?;
        let v = check_byte(value)?;
        self.gb.write(a, v);
        Ok(())
    }

    fn read_range<'py>(&mut self, py: Python<'py>, start: i64, length: i64) -> PyResult<Bound<'py, PyBytes>> {
        if length < 0 || start < 0 || start + length > 0x10000 {
            return Err(PyIndexError::new_err(format!(
                "range {:#x}+{} is outside the 16-bit bus (0..0x10000)",
                start, length
            )));
        }
        let out: Vec<u8> = (start..start + length).map(|a| self.gb.read(a as u16)).collect();
        Ok(PyBytes::new(py, &out))
    }

    /// Overwrite a ROM byte (like `pyboy.memory[bank, addr] = value` for addr < 0x8000).
    fn poke_rom(&mut self, bank: usize, addr: usize, value: i64) -> PyResult<()> {
        let off = if addr >= 0x4000 { addr - 0x4000 } else { addr };
        self.gb.cart.override_rom(bank, off, check_byte(value)?).map_err(PyIndexError::new_err)
    }

    #[getter]
    fn ime(&self) -> bool {
        self.gb.ime
    }
    #[setter]
    fn set_ime(&mut self, v: bool) {
        self.gb.ime = v;
    }
    /// PyBoy's `interrupt_enable_delay`: EI sets 2; IME turns on when it counts down to 0.
    #[getter]
    fn ime_pending(&self) -> u8 {
        self.gb.ie_delay
    }
    #[setter]
    fn set_ime_pending(&mut self, v: u8) {
        self.gb.ie_delay = v;
    }
    #[getter]
    fn halted(&self) -> bool {
        self.gb.halted
    }
    #[setter]
    fn set_halted(&mut self, v: bool) {
        self.gb.halted = v;
    }
    #[getter]
    fn halted_during_ei(&self) -> bool {
        self.gb.halted_during_ei
    }
    #[setter]
    fn set_halted_during_ei(&mut self, v: bool) {
        self.gb.halted_during_ei = v;
    }
    #[getter]
    fn stopped(&self) -> bool {
        self.gb.stopped
    }
    #[getter]
    fn cycles(&self) -> i64 {
        self.gb.cycles
    }
    #[setter]
    fn set_cycles(&mut self, v: i64) {
        self.gb.cycles = v;
    }
    #[getter]
    fn interrupt_enable(&self) -> u8 {
        self.gb.ie_reg
    }
    #[setter]
    fn set_interrupt_enable(&mut self, v: u8) {
        self.gb.ie_reg = v;
    }
    /// IF as stored (5 bits); reading 0xFF0F gives this | 0xE0.
    #[getter]
    fn interrupt_flag(&self) -> u8 {
        self.gb.if_reg
    }
    #[setter]
    fn set_interrupt_flag(&mut self, v: u8) {
        self.gb.if_reg = v & 0x1F;
    }
    #[getter]
    fn bootrom_enabled(&self) -> bool {
        self.gb.bootrom_enabled
    }
    #[getter]
    fn frame_count(&self) -> u64 {
        self.gb.frame_count
    }
    #[getter]
    fn frame_done(&self) -> bool {
        self.gb.lcd.frame_done
    }

    fn cpu_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let g = &self.gb;
        let d = registers_dict(py, g)?;
        d.set_item("ime", g.ime)?;
        d.set_item("ime_pending", g.ie_delay)?;
        d.set_item("halted", g.halted)?;
        d.set_item("halted_during_ei", g.halted_during_ei)?;
        d.set_item("stopped", g.stopped)?;
        d.set_item("interrupt_queued", g.int_queued)?;
        d.set_item("interrupt_enable", g.ie_reg)?;
        d.set_item("interrupt_flag", g.if_reg)?;
        d.set_item("cycles", g.cycles)?;
        d.set_item("bootrom_enabled", g.bootrom_enabled)?;
        Ok(d)
    }

    fn timer_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t = &self.gb.timer;
        let d = PyDict::new(py);
        d.set_item("div", t.div)?;
        d.set_item("tima", t.tima)?;
        d.set_item("tma", t.tma)?;
        d.set_item("tac", t.tac)?;
        d.set_item("div_counter", t.div_counter)?;
        d.set_item("tima_counter", t.tima_counter)?;
        d.set_item("tima_reload_state", t.tima_reload_state)?;
        d.set_item("last_cycles", t.last_cycles)?;
        d.set_item("cycles_to_interrupt", t.cycles_to_interrupt)?;
        Ok(d)
    }

    fn ppu_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let l = &self.gb.lcd;
        let d = PyDict::new(py);
        d.set_item("mode", l.stat.mode)?;
        d.set_item("ly", l.ly)?;
        d.set_item("lyc", l.lyc)?;
        d.set_item("stat", l.stat.value)?;
        d.set_item("stat_irq_line", l.stat.irq_line)?;
        d.set_item("lcdc", l.lcdc)?;
        d.set_item("scx", l.scx)?;
        d.set_item("scy", l.scy)?;
        d.set_item("wx", l.wx)?;
        d.set_item("wy", l.wy)?;
        d.set_item("bgp", l.bgp)?;
        d.set_item("obp0", l.obp0)?;
        d.set_item("obp1", l.obp1)?;
        d.set_item("clock", l.clock)?;
        d.set_item("clock_target", l.clock_target)?;
        d.set_item("last_cycles", l.last_cycles)?;
        d.set_item("next_stat_mode", l.next_stat_mode)?;
        d.set_item("stat_transition", l.stat_transition)?;
        d.set_item("first_frame", l.first_frame)?;
        d.set_item("frame_done", l.frame_done)?;
        d.set_item("ly_window", l.ly_window)?;
        d.set_item("wy_activated_frame", l.wy_activated_frame)?;
        d.set_item("cycles_to_interrupt", l.cycles_to_interrupt)?;
        d.set_item("cycles_to_frame", l.cycles_to_frame)?;
        Ok(d)
    }

    /// The screen as a (144, 160, 4) uint8 RGBA array in PyBoy's layout and default palette.
    /// Zero-copy: a live, read-only view of the emulator's buffer (copy it to keep a frame).
    fn framebuffer<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let ptr = slf.borrow().gb.lcd.screen.as_ptr() as *mut c_void;
        let mut dims: [npy_intp; 3] = [ROWS as npy_intp, COLS as npy_intp, 4];
        let mut strides: [npy_intp; 3] = [(COLS * 4) as npy_intp, 4, 1];
        unsafe {
            let descr = u8::get_dtype(py).into_dtype_ptr();
            let arr = PY_ARRAY_API.PyArray_NewFromDescr(
                py,
                PY_ARRAY_API.get_type_object(py, NpyTypes::PyArray_Type),
                descr,
                3,
                dims.as_mut_ptr(),
                strides.as_mut_ptr(),
                ptr,
                npyffi::NPY_ARRAY_C_CONTIGUOUS | npyffi::NPY_ARRAY_ALIGNED,
                std::ptr::null_mut(),
            );
            if arr.is_null() {
                return Err(PyErr::fetch(py));
            }
            // The array keeps the emulator alive; the buffer never moves or reallocates.
            let base = slf.clone().into_any().unbind().into_ptr();
            if PY_ARRAY_API.PyArray_SetBaseObject(py, arr as *mut npyffi::PyArrayObject, base) != 0 {
                return Err(PyErr::fetch(py));
            }
            Ok(Bound::from_owned_ptr(py, arr))
        }
    }

    /// Bytes written to SB (0xFF01) since the last call (then cleared), like PyBoy's `_serial()`.
    fn serial_output<'py>(&mut self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.gb.take_serial())
    }

    fn save_state<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.gb.save_state())
    }

    fn load_state(&mut self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let data = to_bytes(state, "state")?;
        self.gb.load_state(&data).map_err(PyValueError::new_err)
    }

    /// The gameboy family's canonical state fields (reference_envs/gameboy/state.py): a dict of
    /// ints (scalars) and bytes (arrays; `screen` is RGBA bytes, `cart_ram` 32 KiB).
    fn state_fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, v) in self.gb.state_fields() {
            match v {
                Field::U(x) => d.set_item(name, x)?,
                Field::B(b) => d.set_item(name, PyBytes::new(py, &b))?,
            }
        }
        Ok(d)
    }

    /// Inject canonical state fields (every field of `state_fields()`; ints and bytes).
    fn load_state_fields(&mut self, fields: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut get = |name: &str| -> Result<Field, String> {
            let v = fields
                .get_item(name)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("missing field {:?}; pass every key of state_fields()", name))?;
            if let Ok(x) = v.extract::<u64>() {
                return Ok(Field::U(x));
            }
            to_bytes(&v, name).map(Field::B).map_err(|e| e.to_string())
        };
        self.gb.load_state_fields(&mut get).map_err(PyValueError::new_err)
    }

    /// A gameboy-doctor trace line for the instruction about to run (PCMEM read without side effects).
    fn doctor_line(&self) -> String {
        let r = &self.gb.r;
        let pcmem: Vec<String> =
            (0..4).map(|i| format!("{:02X}", self.gb.debug_read(r.pc.wrapping_add(i)))).collect();
        format!(
            "A:{:02X} F:{:02X} B:{:02X} C:{:02X} D:{:02X} E:{:02X} H:{:02X} L:{:02X} SP:{:04X} PC:{:04X} PCMEM:{}",
            r.a,
            r.f,
            r.b,
            r.c,
            r.d,
            r.e,
            r.hl >> 8,
            r.hl & 0xFF,
            r.sp,
            r.pc,
            pcmem.join(",")
        )
    }
}

/// N emulators of the same ROM, stepped together in parallel (rayon), releasing the GIL.
#[pyclass(module = "emurust")]
pub struct VecEmulator {
    gbs: Vec<GameBoy>,
    pool: Option<rayon::ThreadPool>,
}

impl VecEmulator {
    fn get(&self, i: i64) -> PyResult<&GameBoy> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.gbs.get(i))
            .ok_or_else(|| PyIndexError::new_err(format!("emulator index {} out of range 0..{}", i, self.gbs.len())))
    }
    fn get_mut(&mut self, i: i64) -> PyResult<&mut GameBoy> {
        let n = self.gbs.len();
        usize::try_from(i)
            .ok()
            .and_then(|i| self.gbs.get_mut(i))
            .ok_or_else(|| PyIndexError::new_err(format!("emulator index {} out of range 0..{}", i, n)))
    }
}

#[pymethods]
impl VecEmulator {
    /// `threads`: size of a dedicated rayon pool (None = rayon's global pool, all cores).
    #[new]
    #[pyo3(signature = (rom, n, boot_rom=None, sound_emulated=true, threads=None))]
    fn new(
        rom: &Bound<'_, PyAny>,
        n: usize,
        boot_rom: Option<&Bound<'_, PyAny>>,
        sound_emulated: bool,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        if n == 0 {
            return Err(PyValueError::new_err("n must be at least 1"));
        }
        let gb = make_gb(rom, boot_rom, sound_emulated)?;
        let pool = match threads {
            None => None,
            Some(t) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(t.max(1))
                    .build()
                    .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
            ),
        };
        Ok(VecEmulator { gbs: vec![gb; n], pool })
    }

    fn __len__(&self) -> usize {
        self.gbs.len()
    }

    /// Set each emulator's buttons from `buttons` (uint8 array of shape (n,), bit order as
    /// `Emulator.set_buttons`) and run `frames` frames; only the last is rendered (if `render`).
    #[pyo3(signature = (buttons, frames=1, render=true))]
    fn step_frames(&mut self, py: Python<'_>, buttons: PyReadonlyArray1<'_, u8>, frames: u64, render: bool) -> PyResult<()> {
        if buttons.len() != self.gbs.len() {
            return Err(PyValueError::new_err(format!(
                "buttons has shape ({},) but there are {} emulators; pass a uint8 array of shape ({},)",
                buttons.len(),
                self.gbs.len(),
                self.gbs.len()
            )));
        }
        let masks: Vec<u8> = buttons.as_array().iter().copied().collect();
        let gbs = &mut self.gbs;
        let pool = &self.pool;
        let result: Result<(), String> = py.allow_threads(move || {
            let step = |(gb, &m): (&mut GameBoy, &u8)| {
                gb.set_buttons(m);
                gb.run_frames(frames, render)
            };
            if gbs.len() == 1 {
                // one emulator: no hand-off to the pool (it costs more than a short frame)
                return step((&mut gbs[0], &masks[0]));
            }
            let mut work = move || {
                // one contiguous share per thread, not one task per emulator
                let threads = rayon::current_num_threads().max(1);
                let share = gbs.len().div_ceil(threads);
                gbs.par_chunks_mut(share)
                    .zip(masks.par_chunks(share))
                    .try_for_each(|(gbs, masks)| gbs.iter_mut().zip(masks.iter()).try_for_each(step))
            };
            match pool {
                Some(p) => p.install(work),
                None => work(),
            }
        });
        result.map_err(err)
    }

    /// All screens as a new (n, 144, 160, 4) uint8 array (a copy).
    fn framebuffers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray4<u8>>> {
        let n = self.gbs.len();
        let mut data = Vec::with_capacity(n * ROWS * COLS * 4);
        for gb in &self.gbs {
            data.extend(screen_bytes(gb));
        }
        let arr = numpy::ndarray::Array4::from_shape_vec((n, ROWS, COLS, 4), data)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyArray4::from_owned_array(py, arr))
    }

    fn peek(&mut self, i: i64, addr: i64) -> PyResult<u8> {
        let a = check_addr(addr)?;
        Ok(self.get_mut(i)?.read(a))
    }

    fn registers<'py>(&self, py: Python<'py>, i: i64) -> PyResult<Bound<'py, PyDict>> {
        registers_dict(py, self.get(i)?)
    }

    fn serial_output<'py>(&mut self, py: Python<'py>, i: i64) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.get_mut(i)?.take_serial()))
    }

    fn save_state<'py>(&self, py: Python<'py>, i: i64) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.get(i)?.save_state()))
    }

    fn load_state(&mut self, i: i64, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let data = to_bytes(state, "state")?;
        self.get_mut(i)?.load_state(&data).map_err(PyValueError::new_err)
    }

    fn frame_counts(&self) -> Vec<u64> {
        self.gbs.iter().map(|g| g.frame_count).collect()
    }
}

#[pymodule]
fn emurust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Emulator>()?;
    m.add_class::<VecEmulator>()?;
    m.add("DEFAULT_BOOT_ROM", PyBytes::new(m.py(), &default_boot_rom()))?;
    m.add("BUTTONS", BUTTON_NAMES.to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("REFERENCE", "pyboy==2.8.1")?;
    m.add("MUTANTS", crate::gb::MUTANTS.iter().map(|m| m.0).collect::<Vec<_>>())?;
    Ok(())
}

#[allow(dead_code)]
fn _unused(_: c_int) {}

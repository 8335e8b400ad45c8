"""The gameboy family's reference side: our SM83 assembler, the ROM corpus built from
roms/*.asm, the PyBoy save-state codec and the pure-Python PyBoy stepping worker."""

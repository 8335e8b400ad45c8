; PPU: the window over the background. WX/WY move every frame (WX sweeps 0..166,
; WY 0..143), the window map is $9C00 and the BG map $9800; the d-pad moves the
; BG, A toggles the window enable bit, B toggles the BG tile-data area.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
PREV      equ $C000
FRAMES    equ $C001
        include "hardware.inc"

        org $0040
        reti

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        call ppu_setup
        xor a
        ldh [rWX], a
        ldh [rWY], a
        ld a, %11110001         ; LCD on, window map $9C00, window on, tiles $8000, BG on
        ldh [rLCDC], a
        ld a, IEF_VBLANK
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        halt
        nop
        ld hl, FRAMES
        inc [hl]
        ldh a, [rWX]
        add a, 3
        cp 167
        jr c, .wx
        xor a
.wx:    ldh [rWX], a
        ldh a, [rWY]
        add a, 2
        cp 144
        jr c, .wy
        xor a
.wy:    ldh [rWY], a
        call read_joypad
        ld c, a
        bit 0, c
        jr z, .l
        ldh a, [rSCX]
        inc a
        ldh [rSCX], a
.l:     bit 3, c
        jr z, .ab
        ldh a, [rSCY]
        inc a
        ldh [rSCY], a
.ab:    ld a, [PREV]
        cpl
        and c
        ld b, a
        ld a, c
        ld [PREV], a
        bit 4, b
        jr z, .b
        ldh a, [rLCDC]
        xor %00100000
        ldh [rLCDC], a
.b:     bit 5, b
        jr z, main
        ldh a, [rLCDC]
        xor %00010000
        ldh [rLCDC], a
        jr main

        include "common.inc"
        include "ppu_common.inc"

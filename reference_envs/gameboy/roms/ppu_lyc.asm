; PPU: LYC and mode STAT interrupts. The STAT handler changes SCX every time LY
; reaches LYC and moves LYC down 8 lines (raster bands), and counts mode-0 (HBlank)
; interrupts when A is held (STAT source switched); VBlank resets LYC to 8 and
; moves the bands. B toggles the LCD off and on (first frame drawn blank).
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
PREV      equ $C000
FRAMES    equ $C001
HBLANKS   equ $C002
PHASE     equ $C003
        include "hardware.inc"

        org $0040
        jp vblank
        org $0048
        jp stat

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        call ppu_setup
        ld a, 8
        ldh [rLYC], a
        ld a, %01000000
        ldh [rSTAT], a
        ld a, %10010001
        ldh [rLCDC], a
        ld a, IEF_VBLANK | IEF_STAT
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        halt
        nop
        call read_joypad
        ld c, a
        ld a, %01000000         ; LYC source, plus HBlank while A is held
        bit 4, c
        jr z, .src
        ld a, %01001000
.src:   ldh [rSTAT], a
        ld a, [PREV]
        cpl
        and c
        ld b, a
        ld a, c
        ld [PREV], a
        bit 5, b
        jr z, main
        call lcd_off
        ld a, %10010001
        ldh [rLCDC], a
        jr main

stat:
        push af
        ldh a, [rSTAT]
        bit 2, a                ; LYC coincidence?
        jr z, .hblank
        ldh a, [rSCX]
        add a, 13
        ldh [rSCX], a
        ldh a, [rLYC]
        add a, 8
        cp 144
        jr c, .lyc
        ld a, 8
.lyc:   ldh [rLYC], a
        pop af
        reti
.hblank:
        ld a, [HBLANKS]
        inc a
        ld [HBLANKS], a
        pop af
        reti

vblank:
        push af
        ld a, [FRAMES]
        inc a
        ld [FRAMES], a
        ld a, 8
        ldh [rLYC], a
        ld a, [PHASE]
        inc a
        ld [PHASE], a
        ldh [rSCX], a
        pop af
        reti

        include "common.inc"
        include "ppu_common.inc"

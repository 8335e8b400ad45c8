; Timer: for each TAC clock select (with the timer on), TMA from the frame count,
; the timer interrupt counts overflows; every frame the VBlank handler samples DIV,
; TIMA and the overflow count into a ring in WRAM and prints them over serial.
; A switches the clock select; B writes DIV (resets the divider) mid-frame.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
OVERFLOWS equ $C000
FRAMES    equ $C001
SELECT    equ $C002
PREV      equ $C003
RING_POS  equ $C004
RING      equ $C100
        include "hardware.inc"

        org $0040
        jp vblank
        org $0050
        jp timer

        include "header.inc"
start:
        di
        ld sp, $E000
        ld hl, $C000
        ld bc, $200
        xor a
        call memset
        ld a, $C0
        ldh [rTMA], a
        ld a, %100              ; on, 4096 Hz
        ldh [rTAC], a
        ld a, IEF_VBLANK | IEF_TIMER
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        halt
        nop
        call read_joypad
        ld c, a
        ld a, [PREV]
        cpl
        and c
        ld b, a
        ld a, c
        ld [PREV], a
        bit 4, b
        jr z, .b
        ld a, [SELECT]
        inc a
        and 3
        ld [SELECT], a
        or %100
        ldh [rTAC], a
.b:     bit 5, b
        jr z, main
        ldh [rDIV], a
        jr main

timer:
        push af
        ld a, [OVERFLOWS]
        inc a
        ld [OVERFLOWS], a
        pop af
        reti

vblank:
        push af
        push hl
        push de
        ld a, [FRAMES]
        inc a
        ld [FRAMES], a
        ldh [rTMA], a           ; a new reload value every frame
        and 63
        jr nz, .sample
        ld a, [SELECT]          ; every 64 frames: next clock select by itself
        inc a
        and 3
        ld [SELECT], a
        or %100
        ldh [rTAC], a
.sample:
        ld a, [RING_POS]
        ld e, a
        ld d, 0
        ld hl, RING
        add hl, de
        ldh a, [rDIV]
        ld [hl+], a
        ldh a, [rTIMA]
        ld [hl+], a
        ld a, [OVERFLOWS]
        ld [hl+], a
        ldh a, [rTAC]
        ld [hl], a
        ld a, e
        add a, 4
        ld [RING_POS], a
        ldh a, [rTIMA]
        call print_hex
        pop de
        pop hl
        pop af
        reti

        include "common.inc"

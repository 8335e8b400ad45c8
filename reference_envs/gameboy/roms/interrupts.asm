; Interrupts: IME, the EI delay, HALT wake-up with IME on and off, priorities and
; nested interrupts. VBlank, STAT (LYC=72) and timer interrupts all fire; each
; handler appends its id and LY to a log in WRAM. Some frames HALT with IME off
; (wake-up without dispatch), some nest (EI inside the VBlank handler), and every
; frame does EI;DI (no interrupt may be taken in between) and EI;HALT.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
LOG_POS   equ $C000
FRAMES    equ $C001
WAKES     equ $C002
LOG       equ $C100
        include "hardware.inc"

        org $0040
        jp vblank
        org $0048
        jp stat
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
        ld a, 72
        ldh [rLYC], a
        ld a, %01000000         ; STAT interrupt on LYC=LY
        ldh [rSTAT], a
        ld a, $F0
        ldh [rTMA], a
        ld a, %101              ; timer on, 262144 Hz
        ldh [rTAC], a
        ld a, IEF_VBLANK | IEF_STAT | IEF_TIMER
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        ei
        di                      ; nothing may be taken between EI and DI
        ld a, [FRAMES]
        and 3
        jr nz, .ime_on
        halt                    ; IME off: wakes up without a dispatch
        nop
        ld hl, WAKES
        inc [hl]
        ldh a, [rIF]            ; acknowledge by hand
        and %11111000
        ldh [rIF], a
.ime_on:
        ei
        halt
        nop
        ld a, [FRAMES]
        bit 0, a
        jr z, main
        di
        ld b, 200               ; a busy loop with IME off, interrupts pile up
.spin:  dec b
        jr nz, .spin
        ei
        nop
        jr main

; log: append A (handler id) and LY
log:
        push hl
        push de
        ld d, a
        ld a, [LOG_POS]
        ld l, a
        ld h, HIGH(LOG)
        ld a, d
        ld [hl+], a
        ldh a, [rLY]
        ld [hl+], a
        ld a, l
        ld [LOG_POS], a
        pop de
        pop hl
        ret

vblank:
        push af
        ld a, [FRAMES]
        inc a
        ld [FRAMES], a
        ld a, 1
        call log
        ld a, [FRAMES]
        and 1
        jr z, .out
        ei                      ; nested: a timer or STAT interrupt may come in here
        nop
        nop
        nop
        di
.out:   pop af
        reti

stat:
        push af
        ld a, 2
        call log
        pop af
        reti

timer:
        push af
        ld a, 4
        call log
        pop af
        reti

        include "common.inc"

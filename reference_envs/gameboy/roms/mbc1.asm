; MBC1: ROM and RAM banking. Every 16 KiB ROM bank starts with its own number and
; a signature; each frame the ROM selects the next switchable bank, reads it, and
; writes bank number, frame count and a running sum into the selected cartridge
; RAM bank (cycling through all RAM banks), with RAM enable toggled on and off.
; Buttons pick the bank directly (d-pad bits).
CART_TYPE equ $03
ROM_SIZE  equ $01
RAM_SIZE  equ $02
BANKS     equ 4
RAM_BANKS equ 1
BANK      equ $C000
FRAMES    equ $C001
SUM       equ $C002
LAST      equ $C003
        include "hardware.inc"

        org $0040
        reti

        include "header.inc"
start:
        di
        ld sp, $E000
        ld a, 1
        ld [BANK], a
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
        call read_joypad
        and $0F
        jr z, .next
        ld [BANK], a
        jr .sel
.next:  ld a, [BANK]
        inc a
        cp BANKS
        jr c, .keep
        ld a, 1
.keep:  ld [BANK], a
.sel:   ld a, [BANK]
        ld [$2100], a          ; ROM bank number (low bits)
        ld a, [$4000]
        ld [LAST], a
        ld b, a
        ld a, [SUM]
        add a, b
        ld [SUM], a
        ld a, $0A              ; RAM on
        ld [$0000], a
        ld a, [FRAMES]
        and RAM_BANKS - 1
        ld [$4000], a          ; RAM bank
        ld hl, $A000
        ld a, [FRAMES]
        ld e, a
        ld d, 0
        add hl, de
        ld a, [LAST]
        ld [hl+], a
        ld a, [SUM]
        ld [hl], a
        ld a, [FRAMES]
        and 1
        jr nz, main
        xor a                   ; RAM off every other frame
        ld [$0000], a
        ld a, [$A000]          ; reads $FF while disabled
        ld [$C004], a
        jr main

        include "common.inc"
        org $4000
        db 1, "BANK1"
        org $8000
        db 2, "BANK2"
        org $C000
        db 3, "BANK3"

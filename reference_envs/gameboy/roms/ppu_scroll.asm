; PPU: background scrolling. A 32x32 map of four patterned tiles scrolls with
; the d-pad (1 px per frame per held direction) and drifts diagonally by itself
; every 4th frame; A cycles the BG palette, B toggles the BG tile-data area
; (LCDC bit 4) with a second copy of the tiles at $8800.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
FRAMES    equ $C000             ; frame counter (VBlank ISR)
PAD       equ $C001             ; joypad this frame
PREV      equ $C002             ; joypad last frame
        include "hardware.inc"

        org $0040
        jp vblank

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        ld hl, tiles
        ld de, $8000
        ld bc, $0304            ; shade 3, 4 tiles
        call load_tiles_1bpp
        ld hl, tiles
        ld de, $9000            ; the same tiles for the $8800 addressing mode (index 0..3)
        ld bc, $0104            ; shade 1
        call load_tiles_1bpp
        ld hl, _SCRN0
        ld d, 0
.row:   ld e, 0
.col:   ld a, d
        add a, a
        add a, e
        srl a
        and 3
        ld [hl+], a
        inc e
        ld a, e
        cp 32
        jr nz, .col
        inc d
        ld a, d
        cp 32
        jr nz, .row
        ld a, $E4
        ldh [rBGP], a
        ld a, $91
        ldh [rLCDC], a
        ld a, IEF_VBLANK
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        halt
        nop
        call read_joypad
        ld [PAD], a
        ld c, a
        bit 0, c                ; right
        jr z, .l
        ldh a, [rSCX]
        inc a
        ldh [rSCX], a
.l:     bit 1, c
        jr z, .u
        ldh a, [rSCX]
        dec a
        ldh [rSCX], a
.u:     bit 2, c
        jr z, .d
        ldh a, [rSCY]
        dec a
        ldh [rSCY], a
.d:     bit 3, c
        jr z, .drift
        ldh a, [rSCY]
        inc a
        ldh [rSCY], a
.drift: ld a, [FRAMES]
        and 3
        jr nz, .buttons
        ldh a, [rSCX]
        inc a
        ldh [rSCX], a
        ldh a, [rSCY]
        inc a
        ldh [rSCY], a
.buttons:
        ld a, [PREV]
        cpl
        and c                   ; newly pressed
        ld b, a
        ld a, c
        ld [PREV], a
        bit 4, b                ; A: rotate the palette
        jr z, .b
        ldh a, [rBGP]
        rlca
        rlca
        ldh [rBGP], a
.b:     bit 5, b                ; B: toggle tile data area
        jr z, main
        ldh a, [rLCDC]
        xor $10
        ldh [rLCDC], a
        jr main

vblank:
        push af
        ld a, [FRAMES]
        inc a
        ld [FRAMES], a
        pop af
        reti

tiles:  db $FF, $81, $81, $81, $81, $81, $81, $FF     ; box
        db $AA, $55, $AA, $55, $AA, $55, $AA, $55     ; checker
        db $F0, $F0, $F0, $F0, $0F, $0F, $0F, $0F     ; quarters
        db $18, $3C, $7E, $FF, $FF, $7E, $3C, $18     ; diamond

        include "common.inc"

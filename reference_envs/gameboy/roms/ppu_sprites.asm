; PPU: sprites through OAM DMA from a WRAM shadow (the DMA routine runs from HRAM).
; 40 sprites in rows that overlap: 10+ per line (the line limit), equal and
; different X (priority by X, then OAM index), BG-over-OBJ, X/Y flips, both OBJ
; palettes, 8x8 and 8x16 (A toggles LCDC bit 2). They move every frame; the d-pad
; moves the first sprite.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
SHADOW    equ $C100             ; 160 bytes copied by DMA
PREV      equ $C000
FRAMES    equ $C001
DMA_HRAM  equ $FF80
        include "hardware.inc"

        org $0040
        jp vblank

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        call ppu_setup
        ld hl, dma_routine      ; copy the DMA routine into HRAM
        ld de, DMA_HRAM
        ld bc, dma_end - dma_routine
        call memcpy
        ld hl, SHADOW           ; sprite i: y = 24 + 6*(i/8), x = 8 + 9*(i%8) + (i/8), tile 1+i%3, attr by i
        ld c, 0
.spr:   ld a, c
        srl a
        srl a
        srl a
        ld b, a                 ; row
        add a, a
        add a, b
        add a, a                ; 6*row
        add a, 24
        ld [hl+], a
        ld a, c
        and 7
        ld d, a
        add a, a
        add a, a
        add a, a
        add a, d                ; 9*col
        add a, 8
        add a, b
        ld [hl+], a
        ld a, c
        and 3
        inc a
        cp 4
        jr nz, .tile
        ld a, 1
.tile:  ld [hl+], a
        ld a, c                 ; attributes: bit7 BG priority, bit6 Y flip, bit5 X flip, bit4 palette
        swap a
        and $F0
        ld [hl+], a
        inc c
        ld a, c
        cp 40
        jr nz, .spr
        call DMA_HRAM
        ld a, %10010011         ; LCD on, tiles $8000, OBJ on, BG on
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
        ld hl, SHADOW + 1       ; every sprite drifts right by 1, rows 2+ also down
        ld c, 40
.move:  inc [hl]
        ld a, c
        cp 25
        jr nc, .nexts
        dec hl
        inc [hl]
        inc hl
.nexts: inc hl
        inc hl
        inc hl
        inc hl
        dec c
        jr nz, .move
        call read_joypad
        ld c, a
        bit 0, c
        jr z, .left
        ld hl, SHADOW + 1
        inc [hl]
        inc [hl]
.left:  bit 1, c
        jr z, .down
        ld hl, SHADOW + 1
        dec [hl]
        dec [hl]
.down:  bit 3, c
        jr z, .a
        ld hl, SHADOW
        inc [hl]
.a:     ld a, [PREV]
        cpl
        and c
        ld b, a
        ld a, c
        ld [PREV], a
        bit 4, b
        jr z, main
        ldh a, [rLCDC]
        xor %00000100
        ldh [rLCDC], a
        jr main

vblank:
        push af
        call DMA_HRAM
        pop af
        reti

dma_routine:
        ld a, HIGH(SHADOW)
        ldh [rDMA], a
        ld a, 40
.wait:  dec a
        jr nz, .wait
        ret
dma_end:

        include "common.inc"
        include "ppu_common.inc"

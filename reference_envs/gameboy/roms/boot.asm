; equiv's own DMG boot ROM (256 bytes). It leaves the CPU in the documented
; post-boot DMG state (A=01 F=B0 B=00 C=13 D=00 E=D8 HL=014D SP=FFFE) and hands
; over at $0100 by writing 1 to $FF50 from the last two bytes of the ROM.
; It does not scroll a logo: it sets the palette, turns the LCD on and jumps.
        org $0000
        ld sp, $FFFE
        ld a, $FC
        ldh [$47], a            ; BGP
        ld a, $91
        ldh [$40], a            ; LCDC: LCD on, BG on, tiles at $8000
        ld bc, $01B0
        push bc
        pop af                  ; A=01 F=B0
        ld bc, $0013
        ld de, $00D8
        ld hl, $014D
        jp $00FE
        org $00FE
        ldh [$50], a            ; boot ROM off; the next fetch is $0100

; Catch: move the paddle (left/right, A = fast) to catch falling balls.
; A catch scores 1 point (the ball falls faster every 8 points); a miss costs one
; of 3 lives. 0 lives: lost; 30 points: won. The status block at $C0A0 is what the
; environment reads (state, score, lives). The ball's column comes from a PRNG
; stirred with the joypad every frame, so the button process decides the game.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
GAME_STATE equ $C0A0            ; 0 playing, 1 lost, 2 won
SCORE     equ $C0A1
LIVES     equ $C0A2
PX        equ $C0A3             ; paddle left edge (screen x)
BX        equ $C0A4             ; ball left edge (screen x)
BY        equ $C0A5             ; ball top (screen y)
SPEED     equ $C0A6
PAD       equ $C0A8
RNG_STATE equ $C0B0
WIN_SCORE equ 30
PADDLE_Y  equ 128
        include "hardware.inc"

        org $0040
        reti                    ; VBlank only wakes the HALT in the main loop

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        ld hl, $8000
        ld bc, $2000
        xor a
        call memset
        ld hl, _OAM
        ld bc, 160
        xor a
        call memset
        ld hl, $C000
        ld bc, $100
        xor a
        call memset
        ld hl, gfx
        ld de, $8010
        ld bc, $0303
        call load_tiles_1bpp
        ld hl, digits
        ld de, $8100
        ld bc, $020A
        call load_tiles_1bpp
        ld hl, _SCRN0 + 17 * 32
        ld bc, 20
        ld a, 3
        call memset
        ld a, 3
        ld [LIVES], a
        ld a, 76
        ld [PX], a
        ld a, $5A
        ld [RNG_STATE], a
        ld a, 1
        ld [SPEED], a
        call new_ball
        ld a, $E4
        ldh [rBGP], a
        ldh [rOBP0], a
        ld a, $93               ; LCD on, tiles at $8000, objects on, BG on
        ldh [rLCDC], a
        ld a, IEF_VBLANK
        ldh [rIE], a
        xor a
        ldh [rIF], a
        ei
main:
        halt
        nop
        call draw
        ld a, [GAME_STATE]
        or a
        jr nz, main             ; the game is over: the picture stays
        call read_joypad
        ld [PAD], a
        ld b, a
        ld a, [RNG_STATE]
        xor b
        jr nz, .seeded
        inc a
.seeded:
        ld [RNG_STATE], a
        call rand
        ld a, [PAD]
        ld c, a
        ld d, 2
        bit 4, c
        jr z, .left
        ld d, 4
.left:  bit 1, c
        jr z, .right
        ld a, [PX]
        sub d
        jr c, .clampl
        cp 8
        jr nc, .setl
.clampl:
        ld a, 8
.setl:  ld [PX], a
.right: bit 0, c
        jr z, .fall
        ld a, [PX]
        add a, d
        cp 145
        jr c, .setr
        ld a, 144
.setr:  ld [PX], a
.fall:  ld a, [SPEED]
        ld b, a
        ld a, [BY]
        add a, b
        ld [BY], a
        cp PADDLE_Y - 7
        jr c, main
        ld a, [PX]              ; caught when the ball overlaps the 16-px paddle
        ld b, a
        ld a, [BX]
        add a, 7
        cp b
        jr c, .miss
        ld a, b
        add a, 15
        ld b, a
        ld a, [BX]
        cp b
        jr z, .catch
        jr nc, .miss
.catch: ld a, [SCORE]
        inc a
        ld [SCORE], a
        cp WIN_SCORE
        jr nz, .faster
        ld a, 2
        ld [GAME_STATE], a
        jr .next
.faster:
        and 7
        jr nz, .next
        ld a, [SPEED]
        inc a
        ld [SPEED], a
        jr .next
.miss:  ld a, [LIVES]
        dec a
        ld [LIVES], a
        jr nz, .next
        ld a, 1
        ld [GAME_STATE], a
.next:  call new_ball
        jp main

new_ball:
        call rand
        and $7F
        add a, 16
        ld [BX], a
        xor a
        ld [BY], a
        ret

; Runs right after VBlank: sprites straight into OAM, score and lives as BG tiles.
draw:
        ld hl, _OAM
        ld a, [BY]
        add a, 16
        ld [hl+], a
        ld a, [BX]
        add a, 8
        ld [hl+], a
        ld a, 2
        ld [hl+], a
        xor a
        ld [hl+], a
        ld a, [PX]
        add a, 8
        ld b, a
        ld c, 2
.paddle:
        ld a, PADDLE_Y + 16
        ld [hl+], a
        ld a, b
        ld [hl+], a
        add a, 8
        ld b, a
        ld a, 1
        ld [hl+], a
        xor a
        ld [hl+], a
        dec c
        jr nz, .paddle
        ld a, [SCORE]
        ld b, 0
.tens:  cp 10
        jr c, .ones
        sub 10
        inc b
        jr .tens
.ones:  add a, $10
        ld [_SCRN0 + 2], a
        ld a, b
        add a, $10
        ld [_SCRN0 + 1], a
        ld a, [LIVES]
        add a, $10
        ld [_SCRN0 + 18], a
        ret

gfx:    db $FF, $FF, $C3, $C3, $C3, $C3, $FF, $FF     ; 1: paddle block
        db $3C, $7E, $FF, $FF, $FF, $FF, $7E, $3C     ; 2: ball
        db $FF, $AA, $55, $AA, $55, $AA, $55, $FF     ; 3: ground
digits: db $3C, $66, $6E, $76, $66, $66, $3C, $00     ; 0
        db $18, $38, $18, $18, $18, $18, $7E, $00     ; 1
        db $3C, $66, $06, $0C, $30, $60, $7E, $00     ; 2
        db $3C, $66, $06, $1C, $06, $66, $3C, $00     ; 3
        db $0C, $1C, $3C, $6C, $7E, $0C, $0C, $00     ; 4
        db $7E, $60, $7C, $06, $06, $66, $3C, $00     ; 5
        db $3C, $60, $7C, $66, $66, $66, $3C, $00     ; 6
        db $7E, $06, $0C, $18, $30, $30, $30, $00     ; 7
        db $3C, $66, $66, $3C, $66, $66, $3C, $00     ; 8
        db $3C, $66, $66, $3E, $06, $0C, $38, $00     ; 9

        include "common.inc"
        include "rand.inc"

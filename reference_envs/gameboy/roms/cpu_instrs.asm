; CPU exerciser: every legal opcode and every CB opcode, 4 times each on inputs
; from a PRNG. Each test loads A F B C D E H L from the inputs, runs the
; instruction from a WRAM buffer (followed by INC A and a jump back), then folds
; the resulting registers and SP into a 16-bit checksum. Pointers, ports and jump
; targets are kept inside a sandbox by the opcode's class (build/cpu_tables.inc).
; Per 16 opcodes it prints "PP:CCCC" over serial and stores the checksum at
; $D000 + 2*group; "DONE" ends the report. Results then stay on screen? No: the
; LCD is off during the run; it idles with HALT afterwards.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
RNG_STATE equ $C000
IN        equ $C010             ; F A C B E D L H (popped as AF BC DE HL)
OUT       equ $C020             ; F A C B E D L H, then SP
SAVE_SP   equ $C030
CHK       equ $C032
OPC       equ $C034
PREFIX    equ $C035
ITER      equ $C036
CLS       equ $C037
LEN       equ $C038
CODE      equ $C100
TSTACK    equ $CFF0
RESULTS   equ $D000
PLAIN     equ 0
HL_PTR    equ 1
BC_PTR    equ 2
DE_PTR    equ 3
A16_MEM   equ 4
HRAM8     equ 5
C_PORT    equ 6
JR_REL    equ 7
JP_TARGET equ 8
HL_TARGET equ 9
SKIP      equ 10
SANDBOX   equ $C3               ; pointer high byte for memory operands
        include "hardware.inc"

        org $0000               ; RST targets: return straight away
        ret
        org $0008
        ret
        org $0010
        ret
        org $0018
        ret
        org $0020
        ret
        org $0028
        ret
        org $0030
        ret
        org $0038
        ret

        include "header.inc"
start:
        di
        ld sp, $E000
        call lcd_off
        ld a, $A7
        ld [RNG_STATE], a
        xor a
        ldh [rIE], a
        ld [PREFIX], a
        call run_table
        ld a, $CB
        ld [PREFIX], a
        call run_table
        ld hl, done_text
        call print
.idle:  halt
        nop
        jr .idle

; Run all 256 opcodes of the current table (PREFIX 0 or $CB).
run_table:
        xor a
        ld [OPC], a
        ld [CHK], a
        ld [CHK + 1], a
.op:    ld a, [PREFIX]
        or a
        jr z, .main
        ld a, [OPC]             ; CB xx: 2 bytes; (HL) when the register field is 6
        and 7
        cp 6
        ld a, HL_PTR
        jr z, .cls
        ld a, PLAIN
.cls:   ld [CLS], a
        ld a, 2
        ld [LEN], a
        jr .go
.main:  ld a, [OPC]
        ld e, a
        ld d, 0
        ld hl, op_classes
        add hl, de
        ld a, [hl]
        ld [CLS], a
        ld hl, op_lengths
        add hl, de
        ld a, [hl]
        ld [LEN], a
        ld a, [CLS]
        cp SKIP
        jr z, .next
.go:    ld a, 4
        ld [ITER], a
.iter:  call one_test
        ld hl, ITER
        dec [hl]
        jr nz, .iter
.next:  ld a, [OPC]
        and $0F
        cp $0F
        call z, report
        ld hl, OPC
        inc [hl]
        jr nz, .op
        ret

; Print "PPOO:CCCC\n" (prefix, opcode group, checksum) and store the checksum.
report:
        ld a, [PREFIX]
        call print_hex
        ld a, [OPC]
        and $F0
        call print_hex
        ld a, ':'
        call serial_out
        ld a, [CHK + 1]
        call print_hex
        ld a, [CHK]
        call print_hex
        ld a, 10
        call serial_out
        ld a, [PREFIX]          ; RESULTS + 32*(prefix!=0) + 2*group
        or a
        jr z, .slot
        ld a, 32
.slot:  ld b, a
        ld a, [OPC]
        swap a
        and $0F
        add a, a
        add a, b
        ld e, a
        ld d, 0
        ld hl, RESULTS
        add hl, de
        ld a, [CHK]
        ld [hl+], a
        ld a, [CHK + 1]
        ld [hl], a
        ret

one_test:
        ld hl, IN               ; 8 random input bytes
        ld b, 8
.rnd:   push hl
        push bc
        call rand
        pop bc
        pop hl
        ld [hl+], a
        dec b
        jr nz, .rnd
        ld a, [CLS]
        cp HL_PTR
        jr nz, .bc
        ld a, SANDBOX
        ld [IN + 7], a
.bc:    cp BC_PTR
        jr nz, .de
        ld a, SANDBOX
        ld [IN + 3], a
.de:    ld a, [CLS]
        cp DE_PTR
        jr nz, .port
        ld a, SANDBOX
        ld [IN + 5], a
.port:  ld a, [CLS]
        cp C_PORT
        jr nz, .hlt
        ld a, [IN + 2]
        or $80
        cp $FF
        jr nz, .setc
        dec a
.setc:  ld [IN + 2], a
.hlt:   ld a, [CLS]
        cp HL_TARGET
        jr nz, .code
        ld a, LOW(CODE + 4)
        ld [IN + 6], a
        ld a, HIGH(CODE + 4)
        ld [IN + 7], a
.code:  call rand               ; operand bytes
        ld d, a
        call rand
        ld e, a
        ld a, [CLS]
        cp A16_MEM
        jr nz, .h8
        ld e, SANDBOX
.h8:    cp HRAM8
        jr nz, .jr
        ld a, d
        or $80
        cp $FF
        jr nz, .h8ok
        dec a
.h8ok:  ld d, a
        ld a, [CLS]
.jr:    cp JR_REL
        jr nz, .jp
        ld d, 1
.jp:    cp JP_TARGET
        jr nz, .len
        ld d, LOW(CODE + 4)
        ld e, HIGH(CODE + 4)
.len:   ld a, [LEN]             ; unused operand bytes become NOPs
        cp 3
        jr z, .emit
        ld e, 0
        cp 2
        jr z, .emit
        ld d, 0
.emit:  ld hl, CODE
        ld a, [PREFIX]
        or a
        jr z, .one
        ld [hl+], a             ; CB
        ld a, [OPC]
        ld [hl+], a
        ld a, 0
        ld [hl+], a
        jr .tail
.one:   ld a, [OPC]
        ld [hl+], a
        ld a, d
        ld [hl+], a
        ld a, e
        ld [hl+], a
.tail:  ld a, $3C               ; INC A: shows whether a jump skipped it
        ld [hl+], a
        ld a, $C3               ; JP after_test
        ld [hl+], a
        ld a, LOW(after_test)
        ld [hl+], a
        ld a, HIGH(after_test)
        ld [hl], a
        ld a, LOW(CODE + 4)     ; a return address for RET/RETI
        ld [TSTACK], a
        ld a, HIGH(CODE + 4)
        ld [TSTACK + 1], a
        ld [SAVE_SP], sp
        ld sp, IN
        pop af
        pop bc
        pop de
        pop hl
        ld sp, TSTACK
        jp CODE
after_test:
        di
        ld [OUT + 8], sp
        ld sp, OUT + 8
        push hl
        push de
        push bc
        push af
        ld a, [SAVE_SP]
        ld l, a
        ld a, [SAVE_SP + 1]
        ld h, a
        ld sp, hl
        ld hl, OUT              ; fold 10 bytes: chk = rotl(chk) xor byte, then + byte
        ld b, 10
.fold:  ld a, [CHK]
        rla
        ld c, a
        ld a, [CHK + 1]
        rla
        ld [CHK + 1], a
        ld a, c
        adc a, 0
        xor [hl]
        ld [CHK], a
        ld a, [CHK + 1]
        add a, [hl]
        ld [CHK + 1], a
        inc hl
        dec b
        jr nz, .fold
        ret

done_text:
        db "DONE", 10, 0

        include "common.inc"
        include "rand.inc"
        include "cpu_tables.inc"

; ALU sweep (Blargg style): the result and flags of every flag-setting instruction over
; operand sweeps, folded into 16-bit checksums and reported over serial, one line per
; group ("GG:CCCC"), each also stored at RESULTS + 2*GG. It then starts over, forever:
; the CPU never halts (the bench's CPU-heavy ROM).
;
; Groups:  00-07  ADD ADC SUB SBC AND XOR OR CP A,D: every A x every D, ADC/SBC with C=0 and
;                 C=1 (other flags vary with A): exhaustive over operands x relevant flags
;          08-0F  the same op with every other source (B C E H L (HL) A d8): 16 edge values
;                 of A x every operand
;          10     INC/DEC r and (HL), RLCA RRCA RLA RRA, DAA (every A x all 16 flag inputs),
;                 CPL SCF CCF over every value
;          11-14  CB 00-3F (rotates, shifts, SWAP), 40-7F (BIT), 80-BF (RES), C0-FF (SET)
;          15     ADD HL,BC / DE / HL / SP over 32 edge-rich 16-bit values each side
;          16-17  ADD SP,e and LD HL,SP+e: 32 SP values x every e
; Checksum step: CHK = rotl16(CHK) + word, over every result register pair.
CART_TYPE equ $00
ROM_SIZE  equ $00
RAM_SIZE  equ $00
IN        equ $C010             ; F A C B E D L H: the registers an instruction starts with
MEMOP     equ $C018             ; the (HL) operand of memory forms
OUT       equ $C020             ; F A C B E D L H after it
SPOUT     equ $C028             ; SP after ADD SP,e
SAVE_SP   equ $C030
CHK       equ $C032
OPC       equ $C034
PASS      equ $C035
NPASS     equ $C036
VAL       equ $C037
TARGET    equ $C038             ; IN index the sweep drives (1 A 2 C 3 B 4 E 5 D 6 L 7 H), 8 = MEMOP
STEP      equ $C039
COUNT     equ $C03A
LISTPOS   equ $C03B
LISTLEN   equ $C03C             ; 0 = 256
CUR_A     equ $C03D
GROUP     equ $C03E
KIND      equ $C03F
LISTPTR   equ $C040
ALU_SP    equ $C042
I_IDX     equ $C044
J_IDX     equ $C045
RESULTS   equ $C080
STUB      equ $C100             ; instruction under test + JP run_back, built at run time
ASTUB     equ $C180             ; the fast ALU inner loop, built at run time
AOPND     equ $C190             ; its (HL) operand
IDENT     equ $C200             ; 0, 1, ..., 255
MAINSP    equ $CFF0
BUF_END   equ $E000             ; the fast loop pushes its 256 results below this
        include "hardware.inc"

        include "header.inc"
start:
        di
        ld sp, MAINSP
        ld hl, IDENT
        xor a
.ident: ld [hl+], a
        inc a
        jr nz, .ident
again:
        xor a
        ld [GROUP], a
        ld [SPOUT], a
        ld [SPOUT + 1], a
        call alu_full
        call alu_partial
        call misc_tests
        call cb_tests
        call add_hl_tests
        call sp_tests
        ld hl, done_text
        call print
        jp again

; ---------------------------------------------------------------- groups and checksums
group_start:
        xor a
        ld [CHK], a
        ld [CHK + 1], a
        ret

; Print "GG:CCCC\n", store CHK at RESULTS + 2*GG, next group.
group_end:
        ld a, [GROUP]
        call print_hex
        ld a, ':'
        call serial_out
        ld a, [CHK + 1]
        call print_hex
        ld a, [CHK]
        call print_hex
        ld a, 10
        call serial_out
        ld a, [GROUP]
        add a, a
        ld e, a
        ld d, 0
        ld hl, RESULTS
        add hl, de
        ld a, [CHK]
        ld [hl+], a
        ld a, [CHK + 1]
        ld [hl], a
        ld hl, GROUP
        inc [hl]
        ret

; A = the F input for value A: one pass, a pattern that varies with the value; two passes,
; that pattern with C = PASS; sixteen passes, PASS << 4.
make_flags:
        ld b, a
        ld a, [NPASS]
        cp 16
        jr nz, .pat
        ld a, [PASS]
        swap a
        ret
.pat:   ld a, b
        swap a
        xor b
        and $F0
        ld b, a
        ld a, [NPASS]
        cp 2
        ld a, b
        ret nz
        and $E0
        ld b, a
        ld a, [PASS]
        swap a
        or b
        ret

; ---------------------------------------------------------------- one instruction, any registers
; Run STUB with the registers in IN; fold the registers after it, SPOUT and MEMOP into CHK.
run_in:
        ld [SAVE_SP], sp
        ld sp, IN
        pop af
        pop bc
        pop de
        pop hl
        ld sp, OUT + 8
        jp STUB
run_back:
        push hl
        push de
        push bc
        push af                 ; SP = OUT
        ld a, [CHK]
        ld l, a
        ld a, [CHK + 1]
        ld h, a
        ld c, 5                 ; AF BC DE HL SPOUT
.word:  pop de
        add hl, hl
        jr nc, .nc
        inc l
.nc:    add hl, de
        dec c
        jr nz, .word
        ld a, [MEMOP]
        ld e, a
        ld d, 0
        add hl, hl
        jr nc, .nc2
        inc l
.nc2:   add hl, de
        ld a, l
        ld [CHK], a
        ld a, h
        ld [CHK + 1], a
        ld a, [SAVE_SP]
        ld l, a
        ld a, [SAVE_SP + 1]
        ld h, a
        ld sp, hl
        ret

; STUB = opcode A, then JP run_back.
stub1:  ld hl, STUB
        ld [hl+], a
        jr stub_tail
; STUB = CB, opcode A, then JP run_back.
stubcb: ld hl, STUB
        ld [hl], $CB
        inc hl
        ld [hl+], a
stub_tail:
        ld a, $C3
        ld [hl+], a
        ld a, LOW(run_back)
        ld [hl+], a
        ld [hl], HIGH(run_back)
        ret

; IN = a fixed pattern, HL pointing at MEMOP.
fill_in:
        ld hl, IN
        xor a
        ld [hl+], a             ; F
        ld a, $5A
        ld [hl+], a             ; A
        ld a, $3C
        ld [hl+], a             ; C
        ld a, $C3
        ld [hl+], a             ; B
        ld a, $96
        ld [hl+], a             ; E
        ld a, $69
        ld [hl+], a             ; D
        ld a, LOW(MEMOP)
        ld [hl+], a             ; L
        ld [hl], HIGH(MEMOP)    ; H
        ld a, $A5
        ld [MEMOP], a
        ret

; Sweep IN[TARGET] (MEMOP when TARGET = 8) over COUNT values (0 = 256) from 0 by STEP,
; each with NPASS flag inputs, running STUB on each.
sweep_byte:
        xor a
        ld [VAL], a
.val:   xor a
        ld [PASS], a
.pass:  call fill_in
        ld a, [TARGET]
        cp 8
        jr nz, .reg
        ld hl, MEMOP
        jr .put
.reg:   ld e, a
        ld d, 0
        ld hl, IN
        add hl, de
.put:   ld a, [VAL]
        ld [hl], a
        call make_flags
        ld [IN], a
        call run_in
        ld hl, PASS
        inc [hl]
        ld a, [NPASS]
        cp [hl]
        jr nz, .pass
        ld a, [STEP]
        ld b, a
        ld a, [VAL]
        add a, b
        ld [VAL], a
        ld hl, COUNT
        dec [hl]
        jr nz, .val
        ret

; ---------------------------------------------------------------- fast 8-bit ALU sweeps
; One ALU opcode (OPC: $80-$BF or a d8 form) for every A in the list at LISTPTR (LISTLEN
; entries, 0 = 256) and every operand value; ADC/SBC twice (C = 0, 1). The inner loop
; runs from ASTUB:  push P / pop af / OP [d8] / push af / inc counter / jr nz / jp alu_fold
; with P = DE (A, F inputs) when the operand is B or C, else BC; the counter is the
; operand itself (a register, AOPND via HL, or the d8 byte via HL).
alu_sweep_op:
        ld [ALU_SP], sp
        call alu_build_stub
        ld a, [OPC]
        and $38
        cp $08
        jr z, .two
        cp $18
        jr z, .two
        ld a, 1
        jr .np
.two:   ld a, 2
.np:    ld [NPASS], a
        xor a
        ld [PASS], a
alu_pass:
        xor a
        ld [LISTPOS], a
alu_outer:
        ld a, [LISTPTR]
        ld l, a
        ld a, [LISTPTR + 1]
        ld h, a
        ld a, [LISTPOS]
        ld e, a
        ld d, 0
        add hl, de
        ld a, [hl]
        ld [CUR_A], a
        call make_flags         ; SP = BUF_END here: calls push into the buffer, harmless
        ld c, a
        ld a, [CUR_A]
        ld b, a
        ld a, [OPC]
        and 7
        cp 2
        jr nc, .bc
        ld d, b                 ; operand B or C: A, F come from DE
        ld e, c
        ld bc, 0
        jr .hl
.bc:    ld de, 0
        cp 7
        jr nz, .hl
        ld b, 0                 ; A op A: A itself is the counter
.hl:    ld hl, 0
        ld a, [OPC]
        cp $C0
        jr c, .mem
        ld hl, ASTUB + 3        ; d8 form: the immediate is the counter
        ld [hl], 0
        jr .go
.mem:   and 7
        cp 6
        jr nz, .go
        ld hl, AOPND
        ld [hl], 0
.go:    ld sp, BUF_END
        jp ASTUB
alu_fold:                       ; 256 results pushed: fold them, SP back to BUF_END
        ld a, [CHK]
        ld l, a
        ld a, [CHK + 1]
        ld h, a
        xor a
.f:     pop de
        add hl, hl
        jr nc, .n
        inc l
.n:     add hl, de
        dec a
        jr nz, .f
        ld a, l
        ld [CHK], a
        ld a, h
        ld [CHK + 1], a
        ld hl, LISTPOS
        inc [hl]
        ld a, [LISTLEN]
        cp [hl]
        jp nz, alu_outer
        ld hl, PASS
        inc [hl]
        ld a, [NPASS]
        cp [hl]
        jp nz, alu_pass
        ld a, [ALU_SP]
        ld l, a
        ld a, [ALU_SP + 1]
        ld h, a
        ld sp, hl
        ret

; Build ASTUB for OPC.
alu_build_stub:
        ld a, [OPC]
        cp $C0
        jr c, .reg
        ld b, $C5               ; d8 form: push bc ... inc (hl)
        ld c, $34
        jr .emit
.reg:   and 7
        add a, a
        ld e, a
        ld d, 0
        ld hl, alu_src
        add hl, de
        ld a, [hl+]
        ld b, a
        ld c, [hl]
.emit:  ld hl, ASTUB
        ld a, b
        ld [hl+], a             ; push P
        ld a, $F1
        ld [hl+], a             ; pop af
        ld a, [OPC]
        ld [hl+], a             ; OP
        cp $C0
        jr c, .one
        inc hl                  ; the d8 byte, set per outer iteration
.one:   ld a, $F5
        ld [hl+], a             ; push af
        ld a, c
        ld [hl+], a             ; inc counter
        ld a, $20
        ld [hl+], a             ; jr nz, ASTUB
        ld a, LOW(ASTUB) - 1    ; offset = ASTUB - (address after the jr) = ASTUB - (HL + 1)
        sub l
        ld [hl+], a
        ld a, $C3
        ld [hl+], a             ; jp alu_fold
        ld a, LOW(alu_fold)
        ld [hl+], a
        ld [hl], HIGH(alu_fold)
        ret

; Per operand (B C D E H L (HL) A): the push that loads A and F, the counter's INC.
alu_src:
        db $D5, $04, $D5, $0C, $C5, $14, $C5, $1C, $C5, $24, $C5, $2C, $C5, $34, $C5, $04

; A values for partial sweeps; A op A needs only two flag patterns.
edges:  db $00, $01, $0F, $10, $7F, $80, $8F, $90, $F0, $FF, $99, $9A, $0A, $50, $A5, $EE
a_self: db $00, $0F

alu_full:
        ld a, $82               ; ADD A,D ... CP A,D
.op:    ld [KIND], a
        ld [OPC], a
        call group_start
        ld a, LOW(IDENT)
        ld [LISTPTR], a
        ld a, HIGH(IDENT)
        ld [LISTPTR + 1], a
        xor a
        ld [LISTLEN], a
        call alu_sweep_op
        call group_end
        ld a, [KIND]
        add a, 8
        cp $C2
        jr nz, .op
        ret

alu_partial:
        ld a, $80
.kind:  ld [KIND], a
        call group_start
        xor a
        ld [I_IDX], a           ; source 0..7, then 8 = d8
.src:   ld a, [I_IDX]
        cp 2
        jr z, .next             ; D: done exhaustively
        cp 8
        jr nz, .reg
        ld a, [KIND]
        add a, $46              ; $80 + $46 = $C6 (ADD A,d8) ... $B8 + $46 = $FE (CP d8)
        jr .set
.reg:   ld b, a
        ld a, [KIND]
        or b
.set:   ld [OPC], a
        ld hl, edges
        ld b, 16
        ld a, [I_IDX]
        cp 7
        jr nz, .list
        ld hl, a_self
        ld b, 2
.list:  ld a, l
        ld [LISTPTR], a
        ld a, h
        ld [LISTPTR + 1], a
        ld a, b
        ld [LISTLEN], a
        call alu_sweep_op
.next:  ld hl, I_IDX
        inc [hl]
        ld a, [hl]
        cp 9
        jr nz, .src
        call group_end
        ld a, [KIND]
        add a, 8
        cp $C0
        jr nz, .kind
        ret

; ---------------------------------------------------------------- the rest, one at a time
; opcode, IN index it sweeps (8 = the (HL) operand), flag passes
misc_table:
        db $04, 3, 1, $0C, 2, 1, $14, 5, 1, $1C, 4, 1   ; INC B C D E
        db $24, 7, 1, $2C, 6, 1, $34, 8, 1, $3C, 1, 1   ; INC H L (HL) A
        db $05, 3, 1, $0D, 2, 1, $15, 5, 1, $1D, 4, 1   ; DEC B C D E
        db $25, 7, 1, $2D, 6, 1, $35, 8, 1, $3D, 1, 1   ; DEC H L (HL) A
        db $07, 1, 1, $0F, 1, 1, $17, 1, 2, $1F, 1, 2   ; RLCA RRCA RLA RRA
        db $27, 1, 16                                   ; DAA: every A x every flag input
        db $2F, 1, 1, $37, 1, 1, $3F, 1, 1              ; CPL SCF CCF
        db 0

misc_tests:
        call group_start
        ld hl, misc_table
.row:   ld a, [hl+]
        or a
        jr z, .done
        push hl
        call stub1
        pop hl
        ld a, [hl+]
        ld [TARGET], a
        ld a, [hl+]
        ld [NPASS], a
        push hl
        ld a, 1
        ld [STEP], a
        xor a
        ld [COUNT], a
        call sweep_byte
        pop hl
        jr .row
.done:  jp group_end

; CB register field -> IN index (B C D E H L (HL) A)
cb_targets:
        db 3, 2, 5, 4, 7, 6, 8, 1

cb_tests:
        xor a
        ld [OPC], a
.grp:   call group_start
.op:    ld a, [OPC]
        call stubcb
        ld a, [OPC]
        and 7
        ld e, a
        ld d, 0
        ld hl, cb_targets
        add hl, de
        ld a, [hl]
        ld [TARGET], a
        ld a, 1
        ld [NPASS], a
        ld [STEP], a
        xor a
        ld [COUNT], a
        ld a, [OPC]
        and $F0
        cp $10                  ; RL, RR: both carry inputs for every value
        jr nz, .resset
        ld a, 2
        ld [NPASS], a
.resset:
        ld a, [OPC]
        cp $80                  ; RES, SET: 16 values, step $11
        jr c, .run
        ld a, $11
        ld [STEP], a
        ld a, 16
        ld [COUNT], a
.run:   call sweep_byte
        ld hl, OPC
        inc [hl]
        ld a, [hl]
        and $3F
        jr nz, .op
        call group_end
        ld a, [OPC]
        or a
        jr nz, .grp
        ret

; 32 edge-rich 16-bit values (little-endian words)
words:  dw $0000, $0001, $00FF, $0100, $07FF, $0800, $0FFF, $1000
        dw $7FFF, $8000, $8001, $F000, $FFFF, $FFFE, $F800, $0F0F
        dw $F0F0, $1234, $5678, $9ABC, $DEF0, $8FFF, $7000, $0FF0
        dw $00F0, $FF00, $4000, $C000, $3FFF, $BFFF, $FF80, $0080

; DE = words[A]
word_at:
        add a, a
        ld e, a
        ld d, 0
        ld hl, words
        add hl, de
        ld a, [hl+]
        ld e, a
        ld d, [hl]
        ret

; ADD HL,rr: HL = words[i], rr = words[j] (ADD HL,HL: i only; ADD HL,SP via LD SP,nn first)
add_hl_tests:
        call group_start
        ld a, $09
        call stub1
        ld c, 3                 ; IN index of B (BC)
        call .pairs
        ld a, $19
        call stub1
        ld c, 5                 ; D (DE)
        call .pairs
        ld a, $29               ; ADD HL,HL
        call stub1
        xor a
        ld [I_IDX], a
.hlhl:  call fill_in
        ld a, [I_IDX]
        call make_flags_i
        ld a, [I_IDX]
        call word_at
        ld a, e
        ld [IN + 6], a
        ld a, d
        ld [IN + 7], a
        call run_in
        ld hl, I_IDX
        inc [hl]
        ld a, [hl]
        cp 32
        jr nz, .hlhl
        call stub_sp            ; LD SP,nn / ADD HL,SP / LD SP,OUT+8
        ld a, $39
        ld [STUB + 3], a
        ld c, 0                 ; the SP value goes into the stub
        call .pairs
        jp group_end

; all (i, j): IN H,L = words[i]; words[j] into IN[C], IN[C-1] (C = 0: into STUB+1, +2)
.pairs: ld a, c
        ld [TARGET], a
        xor a
        ld [I_IDX], a
.i:     xor a
        ld [J_IDX], a
.j:     call fill_in
        ld a, [J_IDX]
        call make_flags_i
        ld a, [I_IDX]
        call word_at
        ld a, e
        ld [IN + 6], a
        ld a, d
        ld [IN + 7], a
        ld a, [J_IDX]
        call word_at
        ld a, [TARGET]
        or a
        jr nz, .in
        ld hl, STUB + 1
        ld a, e
        ld [hl+], a
        ld [hl], d
        jr .run
.in:    ld c, a
        ld b, 0
        ld hl, IN
        add hl, bc
        ld [hl], d              ; high byte at the index (B or D)
        dec hl
        ld [hl], e              ; low byte before it (C or E)
.run:   call run_in
        ld hl, J_IDX
        inc [hl]
        ld a, [hl]
        cp 32
        jr nz, .j
        ld hl, I_IDX
        inc [hl]
        ld a, [hl]
        cp 32
        jr nz, .i
        ret

; IN[0] (F) = a pattern from index A.
make_flags_i:
        ld b, a
        ld a, 1
        ld [NPASS], a
        ld a, b
        add a, a
        add a, b
        add a, $35
        call make_flags
        ld [IN], a
        ret

; STUB = LD SP,nn (nn at STUB+1) / one-byte op at STUB+3 / LD SP,OUT+8 / JP run_back
stub_sp:
        ld hl, STUB
        ld [hl], $31
        ld hl, STUB + 4
        ld [hl], $31
        inc hl
        ld [hl], LOW(OUT + 8)
        inc hl
        ld [hl], HIGH(OUT + 8)
        inc hl
        jp stub_tail

; ADD SP,e (and LD [SPOUT],SP) / LD HL,SP+e: SP = words[i], every e.
sp_tests:
        call group_start
        ld hl, sp_add
        call sp_stub
        call .sweep
        call group_end
        call group_start
        ld hl, sp_ldhl
        call sp_stub
        call .sweep
        jp group_end
.sweep: xor a
        ld [I_IDX], a
.i:     xor a
        ld [J_IDX], a
.e:     call fill_in
        ld a, [J_IDX]
        call make_flags_i
        ld a, [I_IDX]
        call word_at
        ld hl, STUB + 1
        ld a, e
        ld [hl+], a
        ld a, d
        ld [hl+], a
        inc hl
        ld a, [J_IDX]
        ld [hl], a              ; e
        call run_in
        ld hl, J_IDX
        inc [hl]
        jr nz, .e
        ld hl, I_IDX
        inc [hl]
        ld a, [hl]
        cp 32
        jr nz, .i
        ret

; STUB = LD SP,nn / the bytes at HL (zero-terminated) / LD SP,OUT+8 / JP run_back
sp_stub:
        ld de, STUB
        ld a, $31
        ld [de], a
        inc de
        inc de
        inc de
.copy:  ld a, [hl+]
        or a
        jr z, .end
        ld [de], a
        inc de
        jr .copy
.end:   ld h, d
        ld l, e
        ld [hl], $31
        inc hl
        ld [hl], LOW(OUT + 8)
        inc hl
        ld [hl], HIGH(OUT + 8)
        inc hl
        jp stub_tail

; the e byte (filled per test) must not be 0 here: these tables end at the first 0
sp_add:  db $E8, $FF, $08, LOW(SPOUT), HIGH(SPOUT), 0
sp_ldhl: db $F8, $FF, 0

done_text:
        db "DONE", 10, 0

        include "common.inc"

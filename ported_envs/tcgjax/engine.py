"""The TCG Pocket engine in JAX: reset (§5.4) and step (§9.2), branch-free.

Every step runs the same straight-line program whatever the action: each action and card effect
sets the parameters of a few shared primitives (add Energy at (slot, type, n), the attack-damage
pipeline over the opponent's 4 slots, one status to apply, one pending choice to push...), selected
by table lookups on effect codes. So the compiled step does not grow with the card pool, and under
``vmap`` a batch pays for each primitive once instead of once per card effect.

Within a step, the acting player's rows ("M", mine) and the other player's ("Y", yours) are taken
out of the [2, ...] fields, changed, and put back; the end-of-step loop of §9.2 (``advance``) then
works on the turn player.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ported_envs.tcgjax import cards as C
from ported_envs.tcgjax import prng
from ported_envs.tcgjax.ops import add_to_discard, add_to_discard_if, excl_cumsum, fence, first_true, get, join, pick, put, remove_at
from ported_envs.tcgjax.rules import Consts, Rules
from ported_envs.tcgjax.state import (CHOICE, DECK_SIZE, HAND_MAX, INFERNO_DANCE, MAIN,
                                      OVER, PLAYER_FIELDS, POINTS_TO_WIN, PROMOTE, R_AFTER_ATTACK,
                                      R_END_TURN, R_MAIN, R_NEXT_TURN, SABRINA_SWITCH, SETUP, SLOT_EMPTY, SLOT_FIELDS,
                                      SLOTS, STRETCH_KICK, TELEPORT, TURN_LIMIT, WATER_SHURIKEN)

I32, U32 = jnp.int32, jnp.uint32
POKEMON, ITEM, SUPPORTER, TOOL = 1, 2, 3, 4
S_POISON, S_BURN, S_SLEEP, S_PARA, S_CONF = range(5)
N_PREDRAW = 33  # one step's action draws at most: Confusion coin + 32 flips (a shuffle takes 19)
SLOT = jnp.arange(SLOTS)
# the per-player fields an action can change (taken out as "mine"/"yours" rows in _act)
ACT_FIELDS = tuple(f for f in PLAYER_FIELDS if f not in ("points", "discard", "etypes", "n_etypes", "zone_next"))


def shuffle(a, m, u):
    """Fisher-Yates of the first ``m`` entries of ``a``, high to low (R-5.3), with the pre-drawn
    ``u[k]`` for the k-th swap; returns (array, draws used = max(m-1, 0)).

    The m entries are first moved to the top of the array, so that the k-th swap's high position is
    n-1-k for every game of a batch (a plain slice) and only the random one is a masked read."""
    n = a.shape[0]
    idx = jnp.arange(n)
    lift = n - m                                      # entry i of the m goes to i + lift
    top = jnp.sum(jnp.where(idx[:, None] - lift == idx[None, :], a[None, :], 0), axis=1)

    def body(k, b):
        hi = n - 1 - k                                # = (m - 1 - k) + lift
        j = lift + prng.below(u[k], m - k)
        b_hi, b_j = jax.lax.dynamic_index_in_dim(b, hi, keepdims=False), get(b, j)
        swapped = jax.lax.dynamic_update_index_in_dim(jnp.where(idx == j, b_hi, b), b_j, hi, 0)
        return jnp.where(k < m - 1, swapped, b)

    top = jax.lax.fori_loop(0, n - 1, body, top)
    back = jnp.sum(jnp.where(idx[:, None] + lift == idx[None, :], top[None, :], 0), axis=1)
    return jnp.where(idx < m, back, a), jnp.maximum(m - 1, 0)


SHUFFLE_CHUNK = 8   # games shuffled together when only some games of a batch shuffle


def first_k(cand, k: int, none: int):
    """The k smallest distinct values of ``cand`` in ascending order, ``none`` once they run out (values
    below ``none`` are distinct: game indices)."""
    picks = []
    for _ in range(k):
        j = jnp.min(cand)
        picks.append(j)
        cand = jnp.where(cand == j, none, cand)
    return jnp.stack(picks)


@jax.custom_batching.custom_vmap
def shuffle_if(a, m, u, on):
    """``shuffle(a, m, u)`` when ``on``, else ``(a, 0)``.

    Under ``vmap`` (rule below) only the games with ``on`` are shuffled: they are gathered
    SHUFFLE_CHUNK at a time and scattered back, so a batch where one game in thousands plays Red Card
    does not pay 19 sequential swap steps for all of them."""
    out, used = shuffle(a, m, u)
    return jnp.where(on, out, a), jnp.where(on, used, 0)


@shuffle_if.def_vmap
def _shuffle_if_batched(axis_size, in_batched, a, m, u, on):
    a, m, u, on = (x if b else jnp.broadcast_to(x, (axis_size,) + jnp.shape(x))
                   for x, b in zip((a, m, u, on), in_batched))
    k = min(SHUFFLE_CHUNK, axis_size)

    def chunk(carry):
        done, todo = carry
        # the first k games still to shuffle, by k min-reductions (top_k sorts the whole batch: 0.6 ms at
        # 4,096; nonzero is a running sum over it); a slot with nothing left to take gets axis_size, an
        # index the scatter below drops
        pick_ = first_k(jnp.where(todo, jnp.arange(axis_size), axis_size), k, axis_size)
        sub, _ = jax.vmap(shuffle)(done.at[pick_].get(mode="clip"), m.at[pick_].get(mode="clip"),
                                   u.at[pick_].get(mode="clip"))
        return done.at[pick_].set(sub, mode="drop"), todo.at[pick_].set(False, mode="drop")

    out, _ = jax.lax.while_loop(lambda c: jnp.any(c[1]), chunk, (a, on))
    return (out, jnp.where(on, jnp.maximum(m - 1, 0), 0)), (True, True)


def draw_cards(deck, ds, hand, hs, n):
    """Draw up to ``n`` cards top-first; stops at an empty deck or a full hand (R-2.1, §8 A7)."""
    k = jnp.clip(jnp.minimum(n, jnp.minimum(ds, HAND_MAX - hs)), 0)
    j = jnp.arange(HAND_MAX) - hs                      # hand slot h gets the j-th drawn card
    src = ds - 1 - j                                   # ... which is deck[ds - 1 - j]
    drawn = jnp.sum(jnp.where(src[:, None] == jnp.arange(DECK_SIZE), deck[None, :], 0), axis=1)
    hand = jnp.where((j >= 0) & (j < k), drawn, hand)
    deck = jnp.where(jnp.arange(DECK_SIZE) >= ds - k, 0, deck)
    return deck, ds - k, hand, hs + k


def apply_status(row, x, when):
    """R-4.2.2: Asleep, Paralyzed, Confused replace one another; Poison and Burn stack. ``row`` = status[5]."""
    exclusive = (x >= S_SLEEP) & (jnp.arange(5) >= S_SLEEP)
    out = jnp.where(exclusive, 0, row)
    out = jnp.where(jnp.arange(5) == x, 1, out)
    return jnp.where(when, out, row)


class Engine:
    """``reset``, ``step`` (and, in views.py, mask and observation) for one rule set."""

    def __init__(self, rules: Rules = Rules(), tables: C.Tables | None = None):
        self.rules = rules
        self.K = Consts(tables or C.tables())

    # --- card lookups ----------------------------------------------------------------------------
    def info(self, card):
        """The card indices themselves: properties are looked up per column, ``K.c(info, "hp")``."""
        return card

    def max_hp(self, card, tool):
        K = self.K
        cape = K.c(self.info(tool), "trainer") == C.TE["tool_hp"]
        return K.c(self.info(card), "hp") + jnp.where(cape, K.c(self.info(tool), "tr_amount"), 0)

    # --- reset (§5.4) ----------------------------------------------------------------------------
    def reset(self, seed, deck_cards, etypes, n_etypes):
        """The exact §5.4 procedure. ``deck_cards`` int32[2, 20] in canonical order, ``etypes`` int32[2, 3]
        ascending and 0-padded, ``n_etypes`` int32[2]."""
        K = self.K
        key = prng.make_key(seed)
        first = jnp.where(prng.heads(prng.raw(key, U32(0))), 0, 1).astype(I32)
        ctr = U32(1)
        hands, decks = [], []
        for p in (0, 1):
            a0 = jnp.asarray(deck_cards[p], I32)

            def attempt(c):
                a, ctr, tries, _ok = c
                a, used = shuffle(a, DECK_SIZE, prng.draws(key, ctr, DECK_SIZE - 1))
                basic = (K.c(self.info(a), "kind") == POKEMON) & (K.c(self.info(a), "stage") == 0)
                return a, ctr + used.astype(U32), tries + 1, jnp.any(basic[15:])

            a, ctr, _, ok = jax.lax.while_loop(lambda c: (c[2] < self.rules.opening_attempt_cap) & ~c[3], attempt,
                                               (a0, ctr, I32(0), jnp.bool_(False)))
            basic = (K.c(self.info(a), "kind") == POKEMON) & (K.c(self.info(a), "stage") == 0)
            b = first_true(basic)
            ab, a19 = get(a, b), a[19]
            swapped = jnp.where(jnp.arange(DECK_SIZE) == 19, ab, jnp.where(jnp.arange(DECK_SIZE) == b, a19, a))
            a = jnp.where(ok, a, swapped)
            hands.append(jnp.concatenate([a[15:][::-1], jnp.zeros(HAND_MAX - 5, I32)]))
            decks.append(jnp.concatenate([a[:15], jnp.zeros(DECK_SIZE - 15, I32)]))
        et, ne = jnp.asarray(etypes, I32), jnp.asarray(n_etypes, I32)
        nxt = []
        for p in (0, 1):
            nxt.append(get(et[p], prng.below(prng.raw(key, ctr), ne[p])))
            ctr = ctr + U32(1)
        z2, m1 = jnp.zeros(2, I32), jnp.full(2, -1, I32)
        slots = lambda v: jnp.full((2, SLOTS), v, I32)  # noqa: E731
        return {
            "rng_key": key, "rng_ctr": ctr, "turn": I32(0), "turn_player": first, "first_player": first,
            "setup_player": first, "phase": I32(SETUP), "result": I32(-1), "points": z2,
            "deck": jnp.stack(decks), "deck_size": jnp.full(2, 15, I32),
            "hand": jnp.stack(hands), "hand_size": jnp.full(2, 5, I32), "discard": jnp.zeros((2, 66), I32),
            "etypes": et, "n_etypes": ne, "zone_cur": z2, "zone_next": jnp.stack(nxt),
            "card": slots(0), "under": jnp.zeros((2, SLOTS, 2), I32), "dmg": slots(0),
            "energy": jnp.zeros((2, SLOTS, 8), I32), "tool": slots(0), "status": jnp.zeros((2, SLOTS, 5), I32),
            "entered": slots(0), "ability_turn": slots(-1), "growl_until": slots(-1), "blue_until": m1,
            "supporter_played": I32(0), "retreated": I32(0), "retreat_red": I32(0), "giovanni": I32(0),
            "blaine": I32(0), "hand_revealed": I32(0), "pend_kind": jnp.zeros(4, I32),
            "pend_player": jnp.zeros(4, I32), "pend_count": jnp.zeros(4, I32), "pend_len": I32(0),
            "resume": I32(R_MAIN),
        }

    # --- step (§9.2) -------------------------------------------------------------------------------
    def actor(self, s):
        """``setup_player`` in SETUP, ``turn_player`` in MAIN, the FIFO head's player in CHOICE, -1 OVER."""
        ph = s["phase"]
        return jnp.where(ph == SETUP, s["setup_player"],
                         jnp.where(ph == CHOICE, s["pend_player"][0], jnp.where(ph == OVER, -1, s["turn_player"])))

    def step(self, s, action):
        """(next state, reward int32[2]). The action must be legal for the actor (views.legal_mask);
        a state that is already OVER is returned unchanged."""
        a = jnp.asarray(action, I32)
        s2 = fence(self._act(s, a))
        s2 = self._advance(s2)
        # everything this step put in a discard pile, added at once (a [2, 66] histogram is costly)
        # (the played Trainer card is common; what Koga and knock-outs discard is not: only games with some
        # build that histogram)
        gone = s2.pop("_gone")
        rare = jnp.concatenate([gone[:, 1:], s2.pop("_ko_gone").reshape(2, -1)], axis=1)
        discard = add_to_discard(s2.pop("discard"), gone[:, :1])
        s2["discard"] = add_to_discard_if(discard, rare, jnp.any(rare != 0))
        # (no action changes an OVER state: every action kind is gated by the phase it belongs to)
        ended = (s["result"] == -1) & (s2["result"] != -1)
        res = s2["result"]
        reward = jnp.where(ended & (res < 2), jnp.where(jnp.arange(2) == res, 1, -1), 0).astype(I32)
        return s2, reward

    # -- the action ----------------------------------------------------------------------------------
    def _act(self, s, a):
        """The action itself (§9.3 and the card effects of §6.3), before ``advance``.

        First every parameter is worked out from the state (which player, which slot, how much
        damage, which Energy, which card effect...), then the fields are written once each. The
        parameters are materialised in between: XLA on CPU would otherwise fuse their computation into
        every element of every field written and redo it there."""
        s = dict(s)
        # the actor, stored once: XLA would otherwise recompute it (a chain of selects on the phase) for
        # every element of every field read or written per player
        me = fence(jnp.clip(self.actor(s), 0, 1))
        M = {f: pick(s[f], me) for f in ACT_FIELDS}
        Y = {f: pick(s[f], 1 - me) for f in ACT_FIELDS}
        u = prng.draws(s["rng_key"], s["rng_ctr"], N_PREDRAW)   # every draw this action may take (§5.5)
        p = fence(self._plan(s, M, Y, a, u, me))
        return self._apply(s, M, Y, p, u, me)

    def _plan(self, s, M, Y, a, u, me) -> dict:
        K = self.K
        turn, phase = s["turn"], s["phase"]
        in_setup, in_main, in_choice = phase == SETUP, phase == MAIN, phase == CHOICE
        p = {}

        # decode (§9.3)
        is_end = a == 0
        is_attach = (a >= 1) & (a <= 4) & in_main
        is_play = (a >= 5) & (a <= 54) & (in_setup | in_main)
        hi, tgt = (a - 5) // 5, (a - 5) % 5
        is_abil = (a >= 55) & (a <= 58) & in_main
        k_abil = a - 55
        is_retreat = (a >= 59) & (a <= 61) & in_main
        is_attack = (a >= 62) & (a <= 63) & in_main
        ai = jnp.clip(a - 62, 0, 1)
        k_own, k_opp = a - 64, a - 68
        pk = jnp.where(in_choice, s["pend_kind"][0], 0)
        choose_own = (a >= 64) & (a <= 67) & in_choice
        choose_opp = (a >= 68) & (a <= 71) & in_choice
        p.update(is_play=is_play, hi=hi, tgt=tgt, is_retreat=is_retreat, is_attach=is_attach)

        # the card played from hand, and what kind of play it is
        c = get(M["hand"], jnp.clip(hi, 0, HAND_MAX - 1))
        crow = self.info(c)
        kind, stage = K.c(crow, "kind"), K.c(crow, "stage")
        play_basic = is_play & (kind == POKEMON) & (stage == 0)
        play_evolve = is_play & (kind == POKEMON) & (stage > 0) & in_main
        play_trainer = is_play & (kind >= ITEM) & in_main
        te = jnp.where(play_trainer, K.c(crow, "trainer"), 0)
        tr = lambda name: te == C.TE[name]  # noqa: E731
        p["card"] = c

        # the Ability used, and the attack
        abrow = self.info(get(M["card"], jnp.clip(k_abil, 0, 3)))
        ab = jnp.where(is_abil, K.c(abrow, "ability"), 0)
        ab_is = lambda name: ab == C.AB[name]  # noqa: E731
        A = M["card"][0]
        arow = (A, ai)
        eff = jnp.where(is_attack, K.a(arow, "effect"), -1)
        ae = lambda name: eff == C.AE[name]  # noqa: E731

        # ---- attack: Confusion coin, the attack's own coins and picks (R-2.4.4, §6.3) ----
        confused = M["status"][0, S_CONF] == 1
        conf_ok = ~confused | prng.heads(u[0])
        attacking = is_attack & conf_ok
        cu = jnp.where(confused, u[1:], u[:-1])           # the attack's draws after the Confusion coin
        hd = prng.heads(cu)
        printed = K.a(arow, "damage")
        n_flip = jnp.where(ae("coins_times") | ae("zone_to_bench_type_coins"), K.a(arow, "coins"),
                           jnp.where(ae("coin_plus_or_recoil") | ae("coin_inflict"), 1, 0))
        h = jnp.sum(hd & (jnp.arange(32) < n_flip))
        h_tails, n_tails = prng.until_tails(cu)
        occ_y, occ_m = Y["card"] != 0, M["card"] != 0
        bench = SLOT >= 1
        n_hits = K.a(arow, "hits")
        picks = prng.below(cu[:4], jnp.sum(occ_y))        # ranks among O's occupied slots (ascending)
        rank_y = excl_cumsum(occ_y.astype(I32))
        hits = jnp.sum(occ_y[:, None] & (rank_y[:, None] == picks[None, :]) & (jnp.arange(4) < n_hits)[None, :],
                       axis=1)
        atk_draws = jnp.where(ae("until_tails_times"), n_tails, jnp.where(ae("random_hits"), n_hits, n_flip))
        used = jnp.where(is_attack, confused.astype(I32) + jnp.where(conf_ok, atk_draws, 0), 0)

        mtypes = K.c(self.info(M["card"]), "ptype")
        own_bench_type = jnp.sum(bench & occ_m & (mtypes == K.a(arow, "energy")))
        base = printed
        base = jnp.where(ae("coins_times"), printed * h, base)
        base = jnp.where(ae("until_tails_times"), printed * h_tails, base)
        base = jnp.where(ae("coin_plus_or_recoil"), printed + K.a(arow, "extra") * h, base)
        base = jnp.where(ae("bonus_if_opp_poisoned"), printed + K.a(arow, "extra") * Y["status"][0, S_POISON], base)
        base = jnp.where(ae("times_own_bench_type"), printed * own_bench_type, base)
        base4 = jnp.where(SLOT == 0, base, 0)
        base4 = jnp.where(ae("spread_opp_bench") & bench & occ_y, K.a(arow, "amount"), base4)
        base4 = jnp.where(ae("random_hits"), K.a(arow, "amount") * hits, base4)
        base4 = jnp.where(attacking, base4, 0)
        # a Stretch Kick answer is bench attack damage through the same pipeline (§9.4 choice effects)
        kick = choose_opp & (pk == STRETCH_KICK)
        base4 = jnp.where(kick & (SLOT == k_opp), K.snipe_amount, base4)
        dealt = self._attack_damage(s, M, Y, base4)
        # Water Shuriken's answer: placed damage, no modifiers
        shuriken = choose_opp & (pk == WATER_SHURIKEN)
        p["y_dmg"] = dealt + jnp.where(shuriken & (SLOT == k_opp), K.shuriken_amount, 0)
        p["ko_now"] = shuriken

        # ---- damage on my Pokemon: heals first, then placed damage (§6.3; order) ----
        heal = jnp.where(tr("heal_target") & (SLOT == tgt), K.c(crow, "tr_amount"), 0)
        p["heal"] = jnp.where(attacking & ae("heal_self") & (SLOT == 0), K.a(arow, "amount"), heal)
        helmet = self.info(Y["tool"][0])
        helmet_hit = (K.c(helmet, "trainer") == C.TE["tool_counter"]) & (dealt[0] > 0)
        self_dmg = (jnp.where(ae("self_damage"), K.a(arow, "amount"), 0)
                    + jnp.where(ae("coin_plus_or_recoil") & (h == 0), K.a(arow, "recoil"), 0)
                    + jnp.where(helmet_hit, K.c(helmet, "tr_amount"), 0))
        p["m_dmg"] = jnp.where(attacking & (SLOT == 0), self_dmg, 0)

        # ---- Energy removed from my Active: retreat cost or an attack's discard ----
        e0 = M["energy"][0]
        types = jnp.arange(1, 9)
        own = K.c(self.info(A), "ptype") == types
        cost = jnp.maximum(K.c(self.info(A), "retreat") - s["retreat_red"], 0)
        off = jnp.where(own, 0, e0)
        take = jnp.clip(cost - excl_cumsum(off), 0, off)
        take = take + jnp.where(own, jnp.minimum(cost - jnp.sum(take), e0), 0)
        drop = jnp.where(types == K.a(arow, "energy"), jnp.minimum(K.a(arow, "count"), e0), 0)
        p["e_removed"] = jnp.where(is_retreat, take, jnp.where(attacking & ae("discard_self_energy"), drop, 0))

        # ---- Energy added to one of my Pokemon (at most one source per action) ----
        h_misty, n_misty = prng.until_tails(u)
        used = used + jnp.where(tr("misty"), n_misty, 0)
        inferno = choose_own & (pk == INFERNO_DANCE)
        p["e_slot"] = jnp.select([is_attach, ab_is("volt_charge"), ab_is("psy_shadow"), tr("brock") | tr("misty")],
                                 [a - 1, k_abil, 0, tgt], k_own)
        p["e_type"] = jnp.select([is_attach, ab_is("volt_charge") | ab_is("psy_shadow"), tr("brock"), tr("misty")],
                                 [M["zone_cur"], K.c(abrow, "ability_energy"), K.brock_type, K.misty_type],
                                 K.inferno_type)
        p["e_n"] = jnp.select([tr("misty")], [h_misty], (is_attach | ab_is("volt_charge") | ab_is("psy_shadow")
                                                          | tr("brock") | inferno).astype(I32))

        # ---- a Special Condition on the opponent's Active; Growl ----
        pendulum = ab_is("sleep_pendulum")
        used = used + pendulum.astype(I32)
        inflict = attacking & (ae("inflict") | (ae("coin_inflict") & (h > 0)))
        p["status_x"] = jnp.select([inflict, pendulum], [K.a(arow, "status"), S_SLEEP], S_POISON)
        p["status_on"] = inflict | (pendulum & prng.heads(u[0])) | ab_is("gas_leak")
        p["growl"] = attacking & ae("growl")

        # ---- my Pokemon entering play or evolving; a Tool; the Ability's turn ----
        free = (M["card"] == 0) & (in_setup | bench)
        p["at_b"] = play_basic & (SLOT == first_true(free))
        p["at_e"] = play_evolve & (SLOT == tgt)
        p["tool_at"] = (tr("tool_hp") | tr("tool_counter")) & (SLOT == tgt)
        p["abil_at"] = is_abil & (SLOT == k_abil)

        # ---- Koga: the Active's cards back to hand (overflow to discard), Tool discarded (§6.3) ----
        koga = tr("koga")
        back = jnp.stack([M["card"][0], M["under"][0, 1], M["under"][0, 0]])
        valid = koga & (back != 0)
        pos = M["hand_size"] - is_play.astype(I32) + excl_cumsum(valid.astype(I32))
        fits = valid & (pos < HAND_MAX)
        p.update(koga=koga, back=back, back_pos=jnp.where(fits, pos, -1), back_n=jnp.sum(fits))
        trainer_gone = jnp.where(play_trainer & ((kind == ITEM) | (kind == SUPPORTER)), c, 0)
        p["gone"] = jnp.stack([trainer_gone, *jnp.where(valid & ~fits, back, 0), M["tool"][0] * koga])

        # ---- swaps of my Active with a Benched Pokemon: retreat, promote, Sabrina, Teleport ----
        p["swap"] = is_retreat | (choose_own & ((pk == PROMOTE) | (pk == SABRINA_SWITCH) | (pk == TELEPORT)))
        p["swap_b"] = jnp.where(is_retreat, a - 58, k_own)

        # ---- cards moving between deck and hand ----
        p["n_draw"] = jnp.where(tr("draw"), K.c(crow, "tr_count"), 0)
        p["ball"] = tr("search_random_basic")
        p["red"] = tr("opp_shuffle_hand_draw")
        p["red_count"] = K.c(crow, "tr_count")

        # ---- the played Trainer's flags (§6.3) ----
        p["supporter"] = (play_trainer & (kind == SUPPORTER)).astype(I32)
        p["retreat_red"] = jnp.where(tr("retreat_reduce"), K.c(crow, "tr_amount"), 0)
        p.update(reveal=tr("reveal_opp_hand"), giovanni=tr("giovanni"), blaine=tr("blaine"), blue=tr("blue"))

        # ---- pending choices: pop the answered head, push what this action asks (§9.1 FIFO) ----
        p["dec"] = inferno & (s["pend_count"][0] > 1)
        p["pop"] = in_choice & ~p["dec"]
        m_bench_r = jnp.any(bench & occ_m & (mtypes == K.inferno_type))
        pushes = [
            (attacking & ae("snipe_opp_bench") & jnp.any(bench & occ_y), STRETCH_KICK, me, 1),
            (attacking & ae("teleport") & jnp.any(bench & occ_m), TELEPORT, me, 1),
            (attacking & ae("zone_to_bench_type_coins") & (h > 0) & m_bench_r, INFERNO_DANCE, me, h),
            (tr("sabrina"), SABRINA_SWITCH, 1 - me, 1),
            (koga, PROMOTE, me, 1),
            (ab_is("water_shuriken"), WATER_SHURIKEN, me, 1),
        ]
        conds = [q[0] for q in pushes]
        p["push"] = jnp.any(jnp.stack(conds))
        for i, name in ((1, "push_kind"), (2, "push_player"), (3, "push_count")):
            p[name] = jnp.select(conds, [jnp.asarray(q[i], I32) for q in pushes], 0)

        # ---- setup progress and where the turn resumes (§9.2) ----
        setup_end = in_setup & is_end
        p["setup_end"] = setup_end
        p["second"] = s["setup_player"] != s["first_player"]
        resume = s["resume"]
        resume = jnp.where(setup_end & p["second"], R_NEXT_TURN, resume)
        resume = jnp.where(in_main & is_end, R_END_TURN, resume)
        p["resume"] = jnp.where(is_attack, R_AFTER_ATTACK, resume)
        p["used"] = used
        return p

    def _apply(self, s, M, Y, p, u, me):
        turn = s["turn"]
        types = jnp.arange(1, 9)
        # the played card leaves the hand first (§6.3 "Playing a Trainer", §9.3)
        hs0 = M["hand_size"]
        M["hand"] = jnp.where(p["is_play"], remove_at(M["hand"], p["hi"], hs0), M["hand"])
        M["hand_size"] = hs0 - p["is_play"].astype(I32)
        # damage and heals
        Y["dmg"] = Y["dmg"] + p["y_dmg"]
        M["dmg"] = jnp.maximum(M["dmg"] - p["heal"], 0) + p["m_dmg"]
        # Energy
        M["energy"] = M["energy"].at[0].add(-p["e_removed"])
        M["energy"] = M["energy"] + (p["e_n"] * ((SLOT == p["e_slot"])[:, None]
                                                 & (types == p["e_type"])[None, :])).astype(I32)
        M["zone_cur"] = jnp.where(p["is_attach"], 0, M["zone_cur"])
        # the opponent's Active: a Special Condition, a Growl marker
        Y["status"] = Y["status"].at[0].set(apply_status(Y["status"][0], p["status_x"], p["status_on"]))
        Y["growl_until"] = jnp.where(p["growl"] & (SLOT == 0), turn + 1, Y["growl_until"])
        # a Basic put into play, an evolution, a Tool, an Ability used
        at_b, at_e = p["at_b"], p["at_e"]
        top = M["card"]
        was_basic = self.K.c(self.info(top), "stage") == 0
        under_e = jnp.stack([jnp.where(was_basic, top, M["under"][:, 0]), jnp.where(was_basic, 0, top)], axis=1)
        M["under"] = jnp.where(at_e[:, None], under_e, M["under"])
        M["card"] = jnp.where(at_b | at_e, p["card"], M["card"])
        M["entered"] = jnp.where(at_b | at_e, turn, M["entered"])
        M["status"] = jnp.where(at_e[:, None], 0, M["status"])
        M["growl_until"] = jnp.where(at_e, -1, M["growl_until"])
        M["ability_turn"] = jnp.where(at_e, -1, jnp.where(p["abil_at"], turn, M["ability_turn"]))
        M["tool"] = jnp.where(p["tool_at"], p["card"], M["tool"])
        # Koga: the returned cards into the hand, the Active Spot emptied
        into = jnp.arange(HAND_MAX)[:, None] == p["back_pos"][None, :]
        M["hand"] = jnp.where(jnp.any(into, axis=1), jnp.sum(jnp.where(into, p["back"][None, :], 0), axis=1),
                              M["hand"])
        M["hand_size"] = M["hand_size"] + p["back_n"]
        for f in SLOT_FIELDS:
            M[f] = jnp.where(p["koga"] & (SLOT == 0).reshape((SLOTS,) + (1,) * (M[f].ndim - 1)), SLOT_EMPTY[f], M[f])
        # swaps; the Pokemon that went to the Bench loses its conditions and markers
        b = p["swap_b"]
        for f in SLOT_FIELDS:
            v = M[f]
            at0 = (SLOT == 0).reshape((SLOTS,) + (1,) * (v.ndim - 1))
            atb = (SLOT == b).reshape(at0.shape)
            M[f] = jnp.where(p["swap"], jnp.where(at0, get(v, b), jnp.where(atb, v[0], v)), v)
        M["status"] = jnp.where(p["swap"] & (SLOT == b)[:, None], 0, M["status"])
        M["growl_until"] = jnp.where(p["swap"] & (SLOT == b), -1, M["growl_until"])
        # Professor's Research / Poke Ball (my deck), Red Card (the opponent's)
        M["deck"], M["deck_size"], M["hand"], M["hand_size"] = draw_cards(
            M["deck"], M["deck_size"], M["hand"], M["hand_size"], p["n_draw"])
        M, used = self._poke_ball(M, p["ball"], u[0], p["used"])
        Y, used = self._red_card(Y, p["red"], p["red_count"], u, used)
        s["_gone"] = join(p["gone"], jnp.zeros_like(p["gone"]), me)   # [2, 5]: to the discard piles at the end
        s["_ko_gone"] = jnp.zeros((2, SLOTS, 4), I32)                   # [2, 4, 4]: knocked-out cards, likewise
        s["_ko_now"] = p["ko_now"]        # knock-outs right after Water Shuriken's damage, run by _advance
        # flags
        s["supporter_played"] = s["supporter_played"] + p["supporter"]
        s["retreat_red"] = s["retreat_red"] + p["retreat_red"]
        s["hand_revealed"] = jnp.where(p["reveal"], 1, s["hand_revealed"])
        s["giovanni"] = jnp.where(p["giovanni"], 1, s["giovanni"])
        s["blaine"] = jnp.where(p["blaine"], 1, s["blaine"])
        s["retreated"] = jnp.where(p["is_retreat"], 1, s["retreated"])
        M["blue_until"] = jnp.where(p["blue"], turn + 1, M["blue_until"])
        # the FIFO
        shift = lambda v: jnp.concatenate([v[1:], jnp.zeros(1, I32)])  # noqa: E731
        pop, dec, push = p["pop"], p["dec"], p["push"]
        count = jnp.where(pop, shift(s["pend_count"]), jnp.where(dec, s["pend_count"].at[0].add(-1), s["pend_count"]))
        kinds, players = jnp.where(pop, shift(s["pend_kind"]), s["pend_kind"]), jnp.where(pop, shift(s["pend_player"]),
                                                                                        s["pend_player"])
        plen = s["pend_len"] - pop.astype(I32)
        s["pend_kind"] = put(kinds, plen, p["push_kind"], push)
        s["pend_player"] = put(players, plen, p["push_player"], push)
        s["pend_count"] = put(count, plen, p["push_count"], push)
        s["pend_len"] = plen + push.astype(I32)
        # setup progress, resume, the counter
        s["setup_player"] = jnp.where(p["setup_end"], jnp.where(p["second"], -1, 1 - s["first_player"]),
                                      s["setup_player"])
        s["resume"] = p["resume"]
        s["rng_ctr"] = s["rng_ctr"] + used.astype(U32)
        for f in ACT_FIELDS:
            s[f] = join(M[f], Y[f], me)
        return s

    def _attack_damage(self, s, M, Y, base4):
        """R-3.2 for each of the opponent's slots; attacker = my Active. Returns the damage per slot."""
        K, R = self.K, self.rules
        turn = s["turn"]
        A = M["card"][0]
        arow = self.info(A)
        boost = (s["giovanni"] * K.giovanni_amount
                 + s["blaine"] * K.names_ok[K.blaine_card, A] * K.blaine_amount
                 - jnp.where(M["growl_until"][0] >= turn, K.growl_amount, 0))
        d0 = base4[0] + boost
        weak = K.c(self.info(Y["card"][0]), "weak") == K.c(arow, "ptype")
        d0 = jnp.where(d0 <= 0, 0, d0 + jnp.where(weak, R.weakness_bonus, 0))
        d = jnp.where(SLOT == 0, d0, base4)
        yrows = self.info(Y["card"])
        shell = jnp.where(K.c(yrows, "ability") == C.AB["shell_armor"], K.c(yrows, "ability_amount"), 0)
        d = d - shell - jnp.where(Y["blue_until"] >= turn, K.blue_amount, 0)
        return jnp.where((base4 <= 0) | ((SLOT == 0) & (d0 <= 0)), 0, jnp.maximum(d, 0))

    def _poke_ball(self, M, on, u0, used):
        """A random Basic from the deck to the hand; the rest keep their order (§5.5, §8 A25)."""
        K = self.K
        deck, ds = M["deck"], M["deck_size"]
        rows = self.info(deck)
        cand = (jnp.arange(DECK_SIZE) < ds) & (K.c(rows, "kind") == POKEMON) & (K.c(rows, "stage") == 0)
        n = jnp.sum(cand)
        go = on & (n > 0)
        k = prng.below(u0, n)
        pos = first_true(cand & (excl_cumsum(cand.astype(jnp.int32)) == k))
        card = get(deck, pos)
        M = dict(M)
        M["deck"] = jnp.where(go, remove_at(deck, pos, ds), deck)
        M["deck_size"] = ds - go.astype(I32)
        M["hand"] = put(M["hand"], M["hand_size"], card, go)
        M["hand_size"] = M["hand_size"] + go.astype(I32)
        return M, used + go.astype(I32)

    def _red_card(self, Y, on, count, u, used):
        """The opponent's hand into their deck, shuffled, then they draw ``count`` (§5.5)."""
        Y = dict(Y)
        ds, hs = Y["deck_size"], Y["hand_size"]
        m = ds + hs
        idx = jnp.arange(DECK_SIZE)
        src = jnp.clip(idx - ds, 0, HAND_MAX - 1)
        hand_at = jnp.sum(jnp.where(src[:, None] == jnp.arange(HAND_MAX), Y["hand"][None, :], 0), axis=1)
        deck = jnp.where(idx < ds, Y["deck"], jnp.where(idx < m, hand_at, 0))
        deck, n = shuffle_if(deck, m, u, on)
        deck, ds2, hand, hs2 = draw_cards(deck, m, jnp.zeros(HAND_MAX, I32), I32(0), count)
        Y["deck"] = jnp.where(on, deck, Y["deck"])
        Y["deck_size"] = jnp.where(on, ds2, ds)
        Y["hand"] = jnp.where(on, hand, Y["hand"])
        Y["hand_size"] = jnp.where(on, hs2, hs)
        return Y, used + jnp.where(on, n, 0)

    # -- after the action: §9.2 advance() ------------------------------------------------------------
    def _advance(self, s):
        s = dict(s)
        ko_now = s.pop("_ko_now")
        placing = (s["phase"] == SETUP) & (s["setup_player"] != -1)
        going = lambda: (s["result"] == -1) & (s["pend_len"] == 0) & ~placing  # noqa: E731
        # AFTER_ATTACK (or right after Water Shuriken): knock-outs
        after_attack = going() & (s["resume"] == R_AFTER_ATTACK)
        s["resume"] = jnp.where(after_attack, R_END_TURN, s["resume"])
        s = fence(self._knockouts(s, after_attack | (ko_now & going())))
        # END_TURN: Energy lost, Checkup, knock-outs, turn limit
        end_turn = going() & (s["resume"] == R_END_TURN)
        s["resume"] = jnp.where(end_turn, R_NEXT_TURN, s["resume"])
        v = prng.draws(s["rng_key"], s["rng_ctr"], 5)
        s, n_chk = fence(self._end_turn(s, end_turn, v))
        # NEXT_TURN: start the other player's turn
        next_turn = going() & (s["resume"] == R_NEXT_TURN)
        s["resume"] = jnp.where(next_turn, R_MAIN, s["resume"])
        s = self._start_turn(s, next_turn, v, n_chk)
        # phase
        over = s["result"] != -1
        phase = jnp.where(over, OVER, jnp.where(s["pend_len"] > 0, CHOICE, MAIN))
        s["phase"] = jnp.where(placing, s["phase"], phase)
        for f in ("pend_kind", "pend_player", "pend_count"):
            s[f] = jnp.where(over, 0, s[f])
        s["pend_len"] = jnp.where(over, 0, s["pend_len"])
        return s

    def _knockouts(self, s, on):
        """R-3.4 / R-3.5: simultaneous knock-outs, points, game end, promotions (non-turn player first)."""
        K, R = self.K, self.rules
        card, tool = s["card"], s["tool"]
        ko = on & (card != 0) & (s["dmg"] >= self.max_hp(card, tool))
        any_ko = jnp.any(ko)
        value = jnp.where(K.c(self.info(card), "ex") != 0, R.ex_knockout_points, 1)
        worth = jnp.sum(jnp.where(ko, value, 0), axis=1)   # [2] lost by each player
        points = s["points"] + worth[::-1]
        gone = jnp.concatenate([card[..., None], s["under"], tool[..., None]], axis=-1)  # [2, 4, 4]
        # a slot is knocked out at most once per step (it stays empty until a later choice fills it)
        s["_ko_gone"] = s["_ko_gone"] + jnp.where(ko[..., None], gone, 0)
        for f in SLOT_FIELDS:
            m = ko.reshape(ko.shape + (1,) * (s[f].ndim - 2))
            s[f] = jnp.where(m, SLOT_EMPTY[f], s[f])
        s["points"] = points
        has = jnp.any(s["card"] != 0, axis=1)
        won = points >= POINTS_TO_WIN
        result = jnp.select([~has[0] & ~has[1], ~has[0], ~has[1], won[0] & won[1], won[0], won[1]],
                            [2, 1, 0, 2, 0, 1], -1)
        s["result"] = jnp.where(any_ko, result, s["result"])
        # promotions: the non-turn player first (§8 A20)
        P = s["turn_player"]
        go = any_ko & (result == -1)
        for q in (1 - P, P):
            need = go & (pick(s["card"], q)[0] == 0)
            n = s["pend_len"]
            s["pend_kind"] = put(s["pend_kind"], n, PROMOTE, need)
            s["pend_player"] = put(s["pend_player"], n, q, need)
            s["pend_count"] = put(s["pend_count"], n, 1, need)
            s["pend_len"] = n + need.astype(I32)
        return s

    def _end_turn(self, s, on, v):
        """R-2.6: the turn player's current Energy is lost, Checkup (R-4.3), knock-outs, turn limit."""
        R = self.rules
        P = s["turn_player"]
        s["zone_cur"] = jnp.where(on & (jnp.arange(2) == P), 0, s["zone_cur"])
        st = s["status"][:, 0]                                       # [2, 5] both Actives
        first = P if R.checkup_turn_player_first else 1 - P
        order = jnp.stack([first, 1 - first])                         # who is examined first in each step
        poison = st[:, S_POISON] == 1
        burned = st[:, S_BURN] == 1
        asleep = st[:, S_SLEEP] == 1
        add = jnp.where(poison, R.poison_damage, 0) + jnp.where(burned, R.burn_damage, 0)
        s["dmg"] = s["dmg"].at[:, 0].add(jnp.where(on, add, 0))
        # coins in order: burn (first, second), then sleep (first, second)
        flips = jnp.stack([pick(burned, order[0]), pick(burned, order[1]), pick(asleep, order[0]),
                           pick(asleep, order[1])]) & on
        coin = prng.heads(v[:4][excl_cumsum(flips.astype(I32))]) & flips
        cured_burn = jnp.where(order[0] == 0, coin[:2], coin[1::-1])     # by player 0, 1
        cured_sleep = jnp.where(order[0] == 0, coin[2:], coin[:1:-1])
        para_end = on & (jnp.arange(2) == (P if R.paralysis_ends_after_owner_turn else 1 - P))
        st = st.at[:, S_BURN].set(jnp.where(cured_burn, 0, st[:, S_BURN]))
        st = st.at[:, S_SLEEP].set(jnp.where(cured_sleep, 0, st[:, S_SLEEP]))
        st = st.at[:, S_PARA].set(jnp.where(para_end, 0, st[:, S_PARA]))
        s["status"] = s["status"].at[:, 0].set(st)
        n = jnp.sum(flips).astype(I32)
        s["rng_ctr"] = s["rng_ctr"] + n.astype(U32)
        s = self._knockouts(s, on)
        s["result"] = jnp.where(on & (s["result"] == -1) & (s["turn"] == TURN_LIMIT), 2, s["result"])
        return s, n

    def _start_turn(self, s, on, v, n_chk):
        """R-2.1: turn number and player, flags reset, draw 1, Energy Zone rotation from turn 2."""
        turn = s["turn"] + 1
        P = jnp.where(turn == 1, s["first_player"], 1 - s["turn_player"])
        s["turn"] = jnp.where(on, turn, s["turn"])
        s["turn_player"] = jnp.where(on, P, s["turn_player"])
        for f in ("supporter_played", "retreated", "retreat_red", "giovanni", "blaine", "hand_revealed"):
            s[f] = jnp.where(on, 0, s[f])
        deck, ds, hand, hs = draw_cards(pick(s["deck"], P), pick(s["deck_size"], P), pick(s["hand"], P),
                                        pick(s["hand_size"], P), on.astype(I32))
        rot = on & (turn >= 2)
        new = get(pick(s["etypes"], P), prng.below(get(v, n_chk), pick(s["n_etypes"], P)))
        cur = jnp.where(rot, pick(s["zone_next"], P), pick(s["zone_cur"], P))
        nxt = jnp.where(rot, new, pick(s["zone_next"], P))
        mine = jnp.arange(2) == P
        for f, val in (("deck", deck), ("deck_size", ds), ("hand", hand), ("hand_size", hs), ("zone_cur", cur),
                       ("zone_next", nxt)):
            s[f] = jnp.where(mine.reshape((2,) + (1,) * (s[f].ndim - 1)), val, s[f])
        s["rng_ctr"] = s["rng_ctr"] + rot.astype(U32)
        return s

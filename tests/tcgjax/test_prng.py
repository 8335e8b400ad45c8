"""The PRNG test vectors of spec §5.6 on the JAX generator (uint32 arithmetic, §5.7)."""
import jax.numpy as jnp
import numpy as np
import pytest

from ported_envs.tcgjax import prng
from ported_envs.tcgjax.engine import shuffle

KEYS = {0: 0x01FCE552, 1: 0xA4F7896C, 42: 0xA0DF3600, 12345: 0x6F6344E1, 0xDEADBEEF: 0xA7B76319}
U32 = {
    0: "AE6F80F1 E39DD9BF 6F27CEB4 CFBA5AD3 80A86C6A 1760DE43 303FF3EB 9C0DBB84",
    1: "8E374FE0 BC254F27 F7208EFC B508B95A E8250B54 65227704 9C3E0A6F B3836E8F",
    42: "90ED54B7 D1EFE335 6C58786C 4267B8A8 BBD4624C 749B1BDC 6B8A1C58 00177CC2",
    12345: "C129F614 686C5F13 8BA4389F 1A2E2EC7 79513E7B 3099A968 C907B492 039C238C",
    0xDEADBEEF: "754AFAC9 8C405B78 38457360 D3FF027B 69976ABF C204FC46 F79F1185 14A4A87E",
}
COINS = {0: "0010011000000011", 1: "0000010010001110", 42: "0011011100011101", 12345: "0101110111110001",
         0xDEADBEEF: "1010100101000011"}
BELOW6 = {0: [3, 3, 2, 1, 0, 3, 1, 2, 4, 0], 42: [3, 5, 4, 2, 0, 2, 4, 2, 5, 5],
          12345: [2, 5, 5, 5, 3, 0, 0, 4, 4, 4]}
SHUFFLE20 = {0: [11, 0, 5, 17, 12, 16, 13, 6, 7, 1, 18, 4, 8, 19, 3, 10, 14, 2, 15, 9],
             1: [16, 15, 13, 18, 6, 7, 1, 19, 12, 8, 14, 10, 2, 11, 3, 17, 5, 4, 9, 0],
             42: [18, 15, 5, 19, 9, 7, 14, 13, 10, 0, 6, 17, 1, 2, 8, 12, 11, 16, 4, 3],
             12345: [12, 18, 13, 8, 7, 6, 1, 19, 2, 15, 17, 4, 3, 10, 9, 16, 11, 5, 14, 0]}


def test_mix32():
    x = jnp.asarray([0, 1, 2, 0x9E3779B9, 0xFFFFFFFF], jnp.uint32)
    out = prng.mix32(x)
    assert out.dtype == jnp.uint32
    assert np.asarray(out).tolist() == [0x00000000, 0x688990C0, 0xD1132181, 0x01FCE552, 0x6768824A]


@pytest.mark.parametrize("seed", sorted(KEYS))
def test_keys_and_draws(seed):
    key = prng.make_key(np.uint32(seed))
    assert int(key) == KEYS[seed]
    assert np.asarray(prng.draws(key, np.uint32(0), 8)).tolist() == [int(x, 16) for x in U32[seed].split()]


@pytest.mark.parametrize("seed", sorted(COINS))
def test_coins(seed):
    heads = prng.heads(prng.draws(prng.make_key(np.uint32(seed)), np.uint32(0), 16))
    assert "".join("1" if h else "0" for h in np.asarray(heads)) == COINS[seed]


@pytest.mark.parametrize("seed", sorted(BELOW6))
def test_below(seed):
    u = prng.draws(prng.make_key(np.uint32(seed)), np.uint32(0), 10)
    assert np.asarray(prng.below(u, jnp.int32(6))).tolist() == BELOW6[seed]


@pytest.mark.parametrize("seed", sorted(SHUFFLE20))
def test_shuffle(seed):
    u = prng.draws(prng.make_key(np.uint32(seed)), np.uint32(0), 19)
    out, used = shuffle(jnp.arange(20, dtype=jnp.int32), jnp.int32(20), u)
    assert np.asarray(out).tolist() == SHUFFLE20[seed] and int(used) == 19


def test_shuffle_of_fewer_entries_leaves_the_rest_and_uses_m_minus_1_draws():
    u = prng.draws(prng.make_key(np.uint32(0)), np.uint32(0), 19)
    a = jnp.arange(20, dtype=jnp.int32)
    out, used = shuffle(a, jnp.int32(7), u)
    assert int(used) == 6 and np.asarray(out)[7:].tolist() == list(range(7, 20))
    assert sorted(np.asarray(out)[:7].tolist()) == list(range(7))
    _, used = shuffle(a, jnp.int32(0), u)
    assert int(used) == 0


def test_counter_is_uint32_and_wraps():
    key = prng.make_key(np.uint32(7))
    wrapped = prng.draws(key, np.uint32(0xFFFFFFFF), 2)
    assert np.asarray(wrapped).tolist() == [int(prng.raw(key, np.uint32(0xFFFFFFFF))), int(prng.raw(key, np.uint32(0)))]


def test_flip_until_tails():
    # seed 0 coins: 0 0 1 0 ... -> from draw 0: 0 heads, 1 draw; from draw 2: 1 head, 2 draws
    u = prng.draws(prng.make_key(np.uint32(0)), np.uint32(0), 40)
    assert [int(x) for x in prng.until_tails(u)] == [0, 1]
    assert [int(x) for x in prng.until_tails(u[2:])] == [1, 2]
    assert [int(x) for x in prng.until_tails(jnp.zeros(32, jnp.uint32))] == [32, 32]   # §8 A31 cap


def test_shuffle_if_under_vmap_shuffles_only_the_games_that_ask():
    """The batched rule gathers the games with ``on`` a few at a time: same result as shuffling each."""
    import jax
    from ported_envs.tcgjax.engine import SHUFFLE_CHUNK, shuffle_if
    rng = np.random.default_rng(5)
    b = 3 * SHUFFLE_CHUNK + 5                         # several chunks, the last one partial
    decks = jnp.asarray(rng.integers(1, 66, (b, 20)), jnp.int32)
    sizes = jnp.asarray(rng.integers(0, 21, b), jnp.int32)
    draws = prng.draws(prng.make_key(np.uint32(9)), np.uint32(0), 33 * b).reshape(b, 33)
    for on in (rng.random(b) < 0.7, np.zeros(b, bool), np.ones(b, bool)):
        out, used = jax.jit(jax.vmap(shuffle_if))(decks, sizes, draws, jnp.asarray(on))
        for i in range(b):
            want, n = shuffle(decks[i], sizes[i], draws[i])
            if not on[i]:
                want, n = decks[i], 0
            assert np.array_equal(np.asarray(out[i]), np.asarray(want)) and int(used[i]) == int(n), i

"""Every PRNG test vector of spec §5.6."""
import pytest

from reference_envs.tcg_python.prng import Draws, make_key, mix32

SEEDS = {0: 0x01FCE552, 1: 0xA4F7896C, 42: 0xA0DF3600, 12345: 0x6F6344E1, 0xDEADBEEF: 0xA7B76319}
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
    assert [mix32(x) for x in (0, 1, 2, 0x9E3779B9, 0xFFFFFFFF)] == [
        0x00000000, 0x688990C0, 0xD1132181, 0x01FCE552, 0x6768824A]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_keys_and_draws(seed):
    assert make_key(seed) == SEEDS[seed]
    d = Draws.from_seed(seed)
    assert [d.u32() for _ in range(8)] == [int(x, 16) for x in U32[seed].split()]
    assert d.ctr == 8


@pytest.mark.parametrize("seed", sorted(COINS))
def test_coins(seed):
    d = Draws.from_seed(seed)
    assert "".join("1" if d.coin() else "0" for _ in range(16)) == COINS[seed]


@pytest.mark.parametrize("seed", sorted(BELOW6))
def test_below(seed):
    d = Draws.from_seed(seed)
    assert [d.below(6) for _ in range(10)] == BELOW6[seed]


def test_below_one_still_draws():
    d = Draws.from_seed(3)
    assert d.below(1) == 0 and d.ctr == 1


@pytest.mark.parametrize("seed", sorted(SHUFFLE20))
def test_shuffle(seed):
    d = Draws.from_seed(seed)
    a = list(range(20))
    d.shuffle(a, 20)
    assert a == SHUFFLE20[seed] and d.ctr == 19


def test_flip_until_tails_cap_and_draw_count():
    # a counter where the first draw is tails: 0 heads, 1 draw
    d = Draws.from_seed(0)          # seed 0 coins start 0,0,1
    assert d.flip_until_tails() == 0 and d.ctr == 1
    d = Draws.from_seed(0)
    d.ctr = 2                       # coins 1,0 -> 1 head, 2 draws
    assert d.flip_until_tails() == 1 and d.ctr == 4


def test_flip_until_tails_stops_at_32_draws():
    class AlwaysHeads(Draws):
        def u32(self):
            self.ctr += 1
            return 0
    d = AlwaysHeads()
    assert d.flip_until_tails() == 32 and d.ctr == 32     # §8 A31: capped, 32 draws

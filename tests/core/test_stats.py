"""equiv._stats: TOST, difference tests, Holm, power, and the per-metric verdicts."""
import json
import math

import numpy as np
import pytest
from scipy import stats

from equiv._errors import ConfigError
from equiv._stats import compare, difference_test, episodes_needed, holm, tost

ALPHA = 0.05


def _slack(reps: int, rate: float = ALPHA) -> float:
    """Three binomial standard deviations: a correct test exceeds rate + slack ~0.1% of runs."""
    return 3 * math.sqrt(rate * (1 - rate) / reps)


# -- Holm -------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, adjusted", [
    # sorted .01 .03 .04 -> 3*.01, 2*.03, max(.06, 1*.04)
    ({"a": 0.01, "b": 0.04, "c": 0.03}, {"a": 0.03, "b": 0.06, "c": 0.06}),
    # step-down stays monotone: 4*.01, 3*.02, max(.06, 2*.03), max(.06, .04)
    ({"a": 0.01, "b": 0.02, "c": 0.03, "d": 0.04}, {"a": 0.04, "b": 0.06, "c": 0.06, "d": 0.06}),
    # capped at 1
    ({"x": 0.5, "y": 0.6}, {"x": 1.0, "y": 1.0}),
    ({"only": 0.2}, {"only": 0.2}),
    ({}, {}),
])
def test_holm_hand_computed(raw, adjusted):
    got = holm(raw)
    assert list(got) == list(raw)
    assert got == pytest.approx(adjusted)


def test_holm_counts_nan_as_one():
    assert holm({"a": float("nan"), "b": 0.01}) == pytest.approx({"a": 1.0, "b": 0.02})


# -- TOST -------------------------------------------------------------------------------------

def test_tost_matches_scipy_welch_one_sided_tests():
    rng = np.random.default_rng(0)
    ref, port = rng.normal(0, 1, 40), rng.normal(0.2, 2, 60)
    r = tost(ref, port, margin=0.7)
    lower = stats.ttest_ind(port + 0.7, ref, equal_var=False, alternative="greater")
    upper = stats.ttest_ind(port - 0.7, ref, equal_var=False, alternative="less")
    assert r.p_lower == pytest.approx(lower.pvalue)
    assert r.p_upper == pytest.approx(upper.pvalue)
    assert r.p == max(r.p_lower, r.p_upper)
    assert r.df == pytest.approx(lower.df)
    ci = stats.ttest_ind(port, ref, equal_var=False).confidence_interval(0.90)
    assert r.ci == pytest.approx((ci.low, ci.high))


def test_tost_concludes_for_identical_large_samples_and_not_for_shifted():
    rng = np.random.default_rng(1)
    same = rng.normal(5, 1, 2000)
    assert tost(same, same.copy(), margin=0.2).p < 1e-9
    assert tost(rng.normal(5, 1, 2000), rng.normal(5, 1, 2000), margin=0.2).p < ALPHA
    shifted = tost(same, same + 0.3, margin=0.1)
    assert shifted.p > 0.5 and shifted.ci[0] > 0.1


def test_tost_degenerate_samples():
    assert tost([2.0] * 5, [2.0] * 7, margin=0.1).p == 0.0
    assert tost([2.0] * 5, [2.05] * 7, margin=0.1).p == 0.0
    const_out = tost([2.0] * 5, [2.5] * 7, margin=0.1)
    assert const_out.p == 1.0 and const_out.ci == (0.5, 0.5)
    assert tost([2.0] * 5, [2.1] * 7, margin=0.1).p == 1.0  # on the margin is not inside
    assert tost([1.0], [1.0, 2.0, 3.0], margin=5).p == 1.0  # n < 2: cannot conclude
    assert tost([], [], margin=5).p == 1.0
    one_constant = tost([3.0] * 10, np.linspace(2.9, 3.1, 10), margin=0.5)
    assert one_constant.df == pytest.approx(9) and one_constant.p < ALPHA


def test_tost_uses_normal_for_huge_df():
    rng = np.random.default_rng(2)
    ref, port = rng.normal(0, 1, 200), rng.normal(0, 1, 200)
    r = tost(ref, port, margin=0.3)
    assert r.df < 1e7  # normal only for huge df; here it is a t test
    z = (r.diff + 0.3) / r.se
    assert r.p_lower == pytest.approx(stats.t.sf(z, r.df))


def test_tost_bad_input_is_a_config_error():
    with pytest.raises(ConfigError, match="margin"):
        tost([1, 2], [1, 2], margin=0)
    with pytest.raises(ConfigError, match="non-finite"):
        tost([1, float("nan")], [1, 2], margin=1)


def test_tost_does_not_conclude_when_the_true_difference_is_the_margin():
    """Equivalence false-pass rate at the boundary of H0 stays at or below alpha."""
    rng = np.random.default_rng(3)
    reps = 300
    passes = sum(tost(rng.normal(0, 1, 50), rng.normal(0.5, 1, 50), margin=0.5).p < ALPHA
                 for _ in range(reps))
    print(f"TOST pass rate at diff == margin: {passes / reps:.3f} over {reps}")
    assert passes / reps <= ALPHA + _slack(reps)


# -- difference tests -------------------------------------------------------------------------

def test_ks_same_and_shifted():
    rng = np.random.default_rng(4)
    a = rng.normal(0, 1, 200)
    same = difference_test(a, a.copy(), "continuous")
    assert same.test == "ks" and same.p == pytest.approx(1.0) and same.statistic == 0
    shifted = difference_test(a, a + 1.0, "continuous")
    assert shifted.p < 1e-6
    assert difference_test([1.0] * 4, [1.0] * 4, "continuous").p == 1.0


def test_chi2_categorical():
    assert difference_test([1, 1, 1], [1, 1], "categorical").p == 1.0  # one category only
    ref = np.r_[np.zeros(60), np.ones(60), np.full(60, 2)]
    same = difference_test(ref, ref[::-1], "categorical")
    assert same.test == "chi2" and same.p == pytest.approx(1.0)
    skewed = np.r_[np.zeros(120), np.ones(30), np.full(30, 2)]
    assert difference_test(ref, skewed, "categorical").p < 1e-6
    # a category seen on one side only is a difference too
    assert difference_test(np.zeros(100), np.r_[np.zeros(70), np.full(30, 3)], "categorical").p < 1e-6


def test_chi2_small_counts_are_deterministic_and_sane():
    ref, port = [0] * 20 + [1] * 2, [0] * 19 + [1] * 3  # expected counts < 5: resampled p-value
    a, b = difference_test(ref, port, "categorical"), difference_test(ref, port, "categorical")
    assert a == b and 0.5 < a.p <= 1.0


def test_unknown_kind_is_a_config_error():
    with pytest.raises(ConfigError, match="kind"):
        difference_test([1, 2], [1, 2], "ordinal")


# -- power ------------------------------------------------------------------------------------

def test_episodes_needed_hand_computed():
    # (z_.95 + z_.90)^2 * (1 + 1) / 0.5^2 = 2.9264^2 * 8 = 68.5 -> 69
    assert episodes_needed(1.0, 1.0, 0.0, 0.5) == 69
    # the gap is what matters: |diff| = 0.25 of a 0.5 margin quadruples n
    assert episodes_needed(1.0, 1.0, -0.25, 0.5) == math.ceil(2.9264 ** 2 * 2 / 0.25 ** 2 + 1e-3)
    assert episodes_needed(1.0, 1.0, 0.5, 0.5) is None
    assert episodes_needed(1.0, 1.0, -0.7, 0.5) is None
    assert episodes_needed(0.0, 0.0, 0.0, 0.5) == 2


# -- compare ----------------------------------------------------------------------------------

def test_compare_verdicts_and_reasons():
    rng = np.random.default_rng(5)
    uniform = rng.uniform(0, 10, 1000)
    verdicts = compare({
        "same": (rng.normal(0, 1, 400), rng.normal(0, 1, 400), 0.5, "continuous"),
        "reshaped": (rng.normal(0, 1, 400), rng.normal(0, 0.3, 400), 0.5, "continuous"),
        # a shift small against the spread (KS misses it) but far beyond a tight margin
        "shifted": (uniform, rng.permutation(uniform) + 0.4, 0.1, "continuous"),
        "few": (rng.normal(0, 1, 30), rng.normal(0, 1, 30), 0.5, "continuous"),
        "outcome": (rng.integers(0, 3, 400), rng.integers(0, 3, 400), 0.3, "categorical"),
    })
    assert {k: v.verdict for k, v in verdicts.items()} == {
        "same": "equivalent", "reshaped": "divergent", "shifted": "divergent",
        "few": "inconclusive", "outcome": "equivalent"}
    assert "KS" in verdicts["reshaped"].reason
    assert "outside the margin" in verdicts["shifted"].reason
    assert verdicts["shifted"].p_diff_holm >= ALPHA
    few = verdicts["few"]
    assert few.n_needed == episodes_needed(few.sd_ref, few.sd_port, few.diff, 0.5, ALPHA / 5)
    assert few.n_needed > 30
    assert f"about {few.n_needed} per side would be needed at margin 0.5" in few.reason
    assert "30 episodes per side" in few.reason
    assert few.p_tost_holm >= few.p_tost


def test_compare_inconclusive_when_difference_is_at_the_margin():
    spread = np.linspace(-3, 3, 20)  # wide: the CI straddles the margin, KS sees no change
    v = compare({"m": (spread, spread + 0.6, 0.5, "continuous")})["m"]
    assert v.verdict == "inconclusive" and v.diff == pytest.approx(0.6)
    assert v.n_needed is None and "will not help" in v.reason
    v = compare({"m": ([1.0], [1.0, 2.0], 0.5, "continuous")})["m"]
    assert v.verdict == "inconclusive" and "too few episodes" in v.reason


def test_compare_nan_on_one_side_is_divergent_and_on_both_an_error():
    ok = np.arange(10.0)
    v = compare({"m": (ok, np.r_[ok[:-1], np.nan], 3.0, "continuous"),
                 "fine": (ok, ok, 3.0, "continuous")})
    assert v["m"].verdict == "divergent" and "non-finite" in v["m"].reason
    assert v["fine"].verdict == "equivalent"
    with pytest.raises(ConfigError, match="both sides"):
        compare({"m": (np.r_[ok, np.inf], np.r_[ok, np.nan], 1.0, "continuous")})


def test_compare_rejects_malformed_entries():
    with pytest.raises(ConfigError, match="'m'"):
        compare({"m": ([1, 2], [1, 2], 0.5)})
    with pytest.raises(ConfigError, match="margin"):
        compare({"m": ([1, 2], [1, 2], -1, "continuous")})


def test_to_json_is_plain_and_strict():
    rng = np.random.default_rng(7)
    v = compare({"r": (rng.normal(0, 1, 5), rng.normal(0, 1, 6), 0.5, "continuous"),
                 "one": ([1.0], [2.0], 0.5, "continuous")})
    data = json.loads(json.dumps({k: x.to_json() for k, x in v.items()}, allow_nan=False))
    r = data["r"]
    assert r["n_ref"] == 5 and len(r["samples_ref"]) == 5 and len(r["samples_port"]) == 6
    assert isinstance(r["ci"], list) and len(r["ci"]) == 2
    assert data["one"]["sd_ref"] is None and data["one"]["ci"] == [None, None]
    for key in ("metric", "kind", "margin", "mean_ref", "mean_port", "sd_port", "diff", "p_tost",
                "p_tost_holm", "test", "p_diff", "p_diff_holm", "verdict", "n_needed", "reason"):
        assert key in r


# -- calibration: equal distributions are rarely called divergent ----------------------------

@pytest.mark.parametrize("kind", ["continuous", "categorical"])
def test_false_alarm_rate(kind):
    rng = np.random.default_rng(8)
    reps, n = 300, 50

    def draw():
        if kind == "continuous":
            return rng.gamma(2.0, 1.0, n)  # skewed, like episode returns
        return rng.choice(4, size=n, p=[0.5, 0.3, 0.15, 0.05])  # a rare category too

    divergent = sum(compare({"m": (draw(), draw(), 0.5, kind)})["m"].verdict == "divergent"
                    for _ in range(reps))
    rate = divergent / reps
    print(f"{kind}: divergent on equal distributions {rate:.3f} over {reps} (alpha {ALPHA})")
    assert rate <= ALPHA + _slack(reps)

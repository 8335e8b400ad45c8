"""The statistical layer's false-alarm rate, measured: A/A runs of a reference against itself.

Each run is a fresh, independent sample (another --equiv-seed draws other episodes). A run
false-alarms when any metric of the pair comes out DIVERGENT. Over RUNS runs the family-wise
rate must stay at or below alpha = 0.05 within binomial slack, and so must each raw difference
test (KS for continuous metrics, chi-square for categorical ones) before Holm's correction.

Run: .venv/bin/python -m pytest tests/core/test_false_alarms.py --run-slow -s
Game Boy and Pokemon are left out: one A/A run of their statistics takes minutes.
"""
import pytest
from scipy import stats

from equiv._pair import PairRun, RunOptions

RUNS, ALPHA = 100, 0.05
# The largest count a correct test exceeds with probability below 1 % (Binomial(100, 0.05)).
SLACK = int(stats.binom.ppf(0.99, RUNS, ALPHA))


@pytest.mark.slow
@pytest.mark.parametrize("reference", ["toy_ref", "puffer_pong", "gym:CartPole-v1", "gym:MountainCar-v0"])
def test_false_alarm_rate_is_at_most_alpha(reference):
    alarms, rejections, tests = 0, {}, {}
    for run in range(RUNS):
        pair = PairRun(reference, reference, RunOptions(seed=run, layers=("L3",), report_dir=None))
        verdicts = pair.statistics()
        pair.close()
        alarms += any(v.verdict == "divergent" for v in verdicts.values())
        for key, v in verdicts.items():
            name = "/".join(key)
            tests[name] = v.test
            rejections[name] = rejections.get(name, 0) + (v.p_diff < ALPHA)
    print(f"\n{reference}: {RUNS} A/A runs, {len(tests)} metrics (Holm, alpha {ALPHA}): family-wise false "
          f"alarms {alarms}/{RUNS} = {alarms / RUNS:.2f}; raw difference-test rejections: "
          + ", ".join(f"{k} ({tests[k]}) {n}" for k, n in sorted(rejections.items())))
    assert alarms <= SLACK, f"{alarms} false alarms in {RUNS} A/A runs (at most {SLACK} expected)"
    worst = max(rejections.values())
    assert worst <= SLACK, f"a raw {tests} test rejected {worst} times in {RUNS} A/A runs"

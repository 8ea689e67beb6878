"""The significance tests of the effect check, against hand-computed values."""

import math

import pytest

from improvement import stats


def nps(p, pa, d):
    return 100.0 * (p - d) / (p + pa + d)


def test_two_proportion_z_test_by_hand():
    # p1 = 0.40, p2 = 0.20, pooled 0.30, se = sqrt(0.3 * 0.7 * 2 / 100) = 0.0648074
    result = stats.two_proportion_z_test(40, 100, 20, 100)
    assert result["z"] == pytest.approx(-0.2 / math.sqrt(0.0042), rel=1e-9)
    assert result["z"] == pytest.approx(-3.0861, abs=1e-4)
    assert result["p_value"] == pytest.approx(0.002028, abs=1e-5)
    assert result["difference"] == pytest.approx(-0.2)


def test_identical_or_degenerate_proportions():
    assert stats.two_proportion_z_test(0, 50, 0, 80) == {"z": 0.0, "p_value": 1.0, "difference": 0.0}
    assert stats.two_proportion_z_test(30, 100, 30, 100)["p_value"] == pytest.approx(1.0)


@pytest.mark.parametrize("difference,p,higher,verdict", [
    (-0.2, 0.002, False, "better"), (-0.2, 0.002, True, "worse"), (0.1, 0.3, False, "no_change"),
    (0.1, 0.01, False, "worse"), (0.0, 0.0, True, "no_change")])
def test_verdict_from_p(difference, p, higher, verdict):
    assert stats.verdict_from_p(difference, p, higher_is_better=higher) == verdict


def test_nps_bootstrap_is_seeded_and_sees_a_clear_improvement():
    first = stats.bootstrap_difference([20, 30, 50], [50, 30, 20], nps)
    again = stats.bootstrap_difference([20, 30, 50], [50, 30, 20], nps)
    assert first == again
    assert first["difference"] == pytest.approx(60.0)
    # NOTE: by hand, sd(NPS) = sqrt((0.7 - 0.3²) / 100) = 7.8 points per window → ±21.6 for the difference.
    assert 36 < first["ci_low"] < 41 and 79 < first["ci_high"] < 84
    assert stats.verdict_from_interval(first["ci_low"], first["ci_high"], higher_is_better=True) == "better"


def test_nps_bootstrap_on_noise_straddles_zero():
    result = stats.bootstrap_difference([30, 40, 30], [32, 38, 30], nps)
    assert result["ci_low"] < 0 < result["ci_high"]
    assert stats.verdict_from_interval(result["ci_low"], result["ci_high"], higher_is_better=True) == "no_change"

"""KPI cards: values as text, the change against the previous period, good or bad news."""

from django.utils import translation

from dashboard.kpis import duration_text, kpi_cards, value_text


def _figure(value_key, now, before, **extra):
    return {value_key: now, "change": None if now is None or before is None else now - before,
            "previous": {value_key: before}, **extra}


def _summary(**figures):
    base = {"nps": _figure("value", None, None, responses=0),
            "csat": _figure("value", None, None, responses=0),
            "ces": _figure("value", None, None, responses=0),
            "churn": _figure("rate", None, None, active_at_start=0),
            "first_response_time": _figure("median_seconds", None, None, interactions=0),
            "resolution_time": _figure("median_seconds", None, None, interactions=0)}
    return {**base, **figures}


def test_direction_of_good_news_depends_on_the_metric():
    cards = {c["key"]: c for c in kpi_cards(_summary(
        nps=_figure("value", 12.5, 20.0, responses=80),
        churn=_figure("rate", 1.2, 2.0, active_at_start=300),
        first_response_time=_figure("median_seconds", 5400.0, 1800.0, interactions=12)))}
    assert (cards["nps"]["trend"], cards["nps"]["direction"]) == ("bad", "down")
    assert (cards["churn"]["trend"], cards["churn"]["direction"]) == ("good", "down")
    assert (cards["first_response_time"]["trend"], cards["first_response_time"]["direction"]) == (
        "bad", "up")
    assert cards["csat"]["trend"] == "none" and cards["csat"]["value"] == "—"
    assert cards["nps"]["drill"] and not cards["churn"]["drill"]


def test_texts_in_both_languages():
    with translation.override("zh-hans"):
        assert duration_text(45) == "45 秒" and duration_text(5400) == "1.5 小时"
        assert duration_text(-1800, signed=True) == "−30 分钟"
        card = kpi_cards(_summary(nps=_figure("value", 12.5, 20.0, responses=80)))[0]
        assert (card["value"], card["change"], card["responses"]) == ("12.5", "−7.5", "80 份答卷")
    with translation.override("en"):
        assert duration_text(3 * 86400) == "3.0 d" and duration_text(None) == "—"
        assert value_text(61.94, "percent") == "61.9%" and value_text(5.456, "mean") == "5.46"
        assert value_text(0.0, "points", signed=True) == "±0.0"

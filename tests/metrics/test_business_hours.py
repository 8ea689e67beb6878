"""Business seconds across weekends, holidays, split days and time zones."""

import zoneinfo
from datetime import datetime

from metrics.business_hours import business_seconds, compile_calendar

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
WEEKDAYS_9_TO_6 = {"weekly": {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu",
                                                                    "fri")},
                   "holidays": ["2026-10-05"]}


def at(*args, tz=SHANGHAI):
    return datetime(*args, tzinfo=tz)


def test_no_calendar_is_none():
    assert business_seconds(at(2026, 9, 1, 9), at(2026, 9, 1, 10), {}, SHANGHAI) is None
    assert business_seconds(at(2026, 9, 1, 9), at(2026, 9, 1, 10), None, SHANGHAI) is None
    assert compile_calendar({"weekly": {"mon": []}, "holidays": []}, SHANGHAI) is None


def test_within_one_day():
    # Tuesday 2026-09-29 08:00 → 10:30: only 09:00–10:30 counts
    assert business_seconds(at(2026, 9, 29, 8), at(2026, 9, 29, 10, 30), WEEKDAYS_9_TO_6,
                            SHANGHAI) == 1.5 * 3600


def test_across_a_weekend_and_a_holiday():
    # Friday 2026-10-02 17:00 → Tuesday 2026-10-06 10:00; Monday 10-05 is a holiday:
    # Fri 17–18 (1 h) + Sat 0 + Sun 0 + Mon 0 + Tue 9–10 (1 h) = 2 h
    assert business_seconds(at(2026, 10, 2, 17), at(2026, 10, 6, 10), WEEKDAYS_9_TO_6,
                            SHANGHAI) == 2 * 3600


def test_outside_hours_and_reversed_ranges_are_zero():
    assert business_seconds(at(2026, 10, 3, 9), at(2026, 10, 3, 18), WEEKDAYS_9_TO_6,
                            SHANGHAI) == 0
    assert business_seconds(at(2026, 9, 29, 12), at(2026, 9, 29, 11), WEEKDAYS_9_TO_6,
                            SHANGHAI) == 0


def test_split_and_overlapping_spans():
    calendar = {"weekly": {"tue": [["13:00", "18:00"], ["09:00", "12:00"], ["11:00", "12:00"]]}}
    # 09–12 (3 h, the overlap counted once) + 13–18 (5 h)
    assert business_seconds(at(2026, 9, 29, 0), at(2026, 9, 30, 0), calendar, SHANGHAI) == 8 * 3600


def test_hours_are_read_in_the_organizations_time_zone():
    utc = zoneinfo.ZoneInfo("UTC")
    # 01:00–02:00 UTC on Tuesday = 09:00–10:00 in Shanghai
    assert business_seconds(at(2026, 9, 29, 1, tz=utc), at(2026, 9, 29, 2, tz=utc),
                            WEEKDAYS_9_TO_6, SHANGHAI) == 3600
    assert business_seconds(at(2026, 9, 29, 1, tz=utc), at(2026, 9, 29, 2, tz=utc),
                            WEEKDAYS_9_TO_6, utc) == 0


def test_daylight_saving_day_counts_real_seconds():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    calendar = {"weekly": {"sun": [["00:00", "06:00"]]}}
    # 2026-03-29: clocks jump 02:00 → 03:00, so 00:00–06:00 local lasts 5 real hours
    assert business_seconds(at(2026, 3, 29, 0, tz=berlin), at(2026, 3, 30, 0, tz=berlin),
                            calendar, berlin) == 5 * 3600

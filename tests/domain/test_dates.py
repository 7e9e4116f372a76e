"""Typed practice dates: every accepted spelling, every refusal, and invariants."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.dates import (
    DATE_ORDERS,
    FUTURE_DATE,
    WEEKDAYS,
    DateOrder,
    DateReading,
    format_date,
    looks_like_date,
    parse_practice_date,
    read_date,
    validate_practice_date,
)
from bot.domain.errors import DomainError

FRIDAY = date(2026, 11, 20)  # a Friday
todays = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 20)),
        ("Today", date(2026, 11, 20)),
        ("yesterday", date(2026, 11, 19)),
        (" YESTERDAY ", date(2026, 11, 19)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2019-02-28", date(2019, 2, 28)),
        ("20.11", date(2026, 11, 20)),
        ("20.11.", date(2026, 11, 20)),
        ("19.11", date(2026, 11, 19)),
        ("21.11", date(2025, 11, 21)),  # no year: the most recent one not in the future
        ("1.1", date(2026, 1, 1)),
        ("31.12", date(2025, 12, 31)),
        ("29.02", date(2024, 2, 29)),  # the most recent leap day
        ("20.11.2026", date(2026, 11, 20)),
        ("05.03.2024", date(2024, 3, 5)),
        ("20.11.25", date(2025, 11, 20)),
        ("20/11", date(2026, 11, 20)),
        ("20/11/2025", date(2025, 11, 20)),
        ("0 days ago", date(2026, 11, 20)),
        ("1 day ago", date(2026, 11, 19)),
        ("3 days ago", date(2026, 11, 17)),
        ("3  Days  Ago", date(2026, 11, 17)),
        ("365 days ago", date(2025, 11, 20)),
        ("friday", date(2026, 11, 20)),  # today is Friday: "friday" is today
        ("fri", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 13)),  # ... but "last friday" is a week ago
        ("last fri", date(2026, 11, 13)),
        ("thursday", date(2026, 11, 19)),
        ("last thursday", date(2026, 11, 19)),
        ("thu", date(2026, 11, 19)),
        ("thurs", date(2026, 11, 19)),
        ("wednesday", date(2026, 11, 18)),
        ("wed", date(2026, 11, 18)),
        ("tue", date(2026, 11, 17)),
        ("tues", date(2026, 11, 17)),
        ("mon", date(2026, 11, 16)),
        ("Monday", date(2026, 11, 16)),
        ("sun", date(2026, 11, 15)),
        ("sunday", date(2026, 11, 15)),
        ("sat", date(2026, 11, 14)),
        ("last saturday", date(2026, 11, 14)),
        ("1 week ago", date(2026, 11, 13)),
        ("a week ago", date(2026, 11, 13)),
        ("2 weeks ago", date(2026, 11, 6)),
        ("two weeks ago", date(2026, 11, 6)),
        ("10 days ago", date(2026, 11, 10)),
        ("Nov 20", date(2026, 11, 20)),
        ("nov 21", date(2025, 11, 21)),
        ("November 19th", date(2026, 11, 19)),
        ("20 Nov", date(2026, 11, 20)),
        ("20 november", date(2026, 11, 20)),
        ("20th of November 2025", date(2025, 11, 20)),
        ("nov 20, 2025", date(2025, 11, 20)),
        ("sept 3", date(2026, 9, 3)),
        ("Fri 20 Nov", date(2026, 11, 20)),
        ("11/25/2025", date(2025, 11, 25)),  # only one order fits
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_practice_date(text, FRIDAY) == expected
    assert looks_like_date(text)


FUTURE = "The date cannot be in the future — practice dates are today or earlier."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please type the date you practiced"),
        ("tomorrow", FUTURE),
        ("next friday", FUTURE),
        ("next monday", FUTURE),
        ("tomorow", FUTURE),
        ("nov 21 2026", FUTURE),
        ("nov 31", "no such date"),
        ("nov 32", "no such date"),
        ("0 december", "no such date"),
        ("fridya", "Did you mean today?"),
        ("2 weks ago", "Did you mean Fri 6 Nov?"),
        ("xyz", "I couldn't read “xyz” as a date. Try today, yesterday, 2 weeks ago"),
        ("abc", "I couldn't read “abc” as a date"),
        ("20-11", "couldn't read"),
        ("20.11/2026", "couldn't read"),
        ("-1 days ago", "couldn't read"),
        ("2026-11-21", FUTURE),
        ("21.11.2026", FUTURE),
        ("20.11.2027", FUTURE),
        ("01.01.99", FUTURE),  # two-digit years are 20xx
        ("31.02", "There's no such date as “31.02” — check the day and month (day comes first"),
        ("31.04.2026", "no such date"),
        ("29.02.2026", "no such date"),
        ("2026-02-31", "(year-month-day"),
        ("2026-13-01", "no such date"),
        ("0.0", "no such date"),
        ("32.1", "no such date"),
        ("9999999 days ago", "too far back"),
        ("99999999999 days ago", "too far back"),
    ],
)
def test_refused_forms(text: str, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        parse_practice_date(text, FRIDAY)


def test_validate_practice_date() -> None:
    assert validate_practice_date(FRIDAY, FRIDAY) == FRIDAY
    assert validate_practice_date(date(2000, 1, 1), FRIDAY) == date(2000, 1, 1)
    with pytest.raises(DomainError, match="in the future"):
        validate_practice_date(FRIDAY + timedelta(days=1), FRIDAY)


def test_leap_day_typed_on_a_leap_day() -> None:
    assert parse_practice_date("29.02", date(2028, 2, 29)) == date(2028, 2, 29)
    assert parse_practice_date("29.02", date(2028, 2, 28)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2026, 11, 20), "today"),
        (date(2026, 11, 19), "yesterday"),
        (date(2026, 11, 18), "Wed 18 Nov"),
        (date(2026, 1, 1), "Thu 1 Jan"),
        (date(2025, 11, 20), "Thu 20 Nov 2025"),
        (date(2025, 12, 31), "Wed 31 Dec 2025"),
    ],
)
def test_format_date(d: date, text: str) -> None:
    assert format_date(d, FRIDAY) == text


def test_format_date_yesterday_across_new_year() -> None:
    assert format_date(date(2025, 12, 31), date(2026, 1, 1)) == "yesterday"


@pytest.mark.parametrize(
    "token", ["31.02", "2026-02-31", "9 days ago", "last sun", "21.11.2026", "tomorrow", "next fri"]
)
def test_invalid_but_date_shaped(token: str) -> None:
    assert looks_like_date(token)


@pytest.mark.parametrize(
    "token", ["react", "45m", "2.0", "3.14", "1:15", "last", "may", "20 nov 2026 x", "mondays", ""]
)
def test_not_date_shaped(token: str) -> None:
    assert not looks_like_date(token)


@given(st.text(max_size=30), todays)
def test_never_after_today(text: str, today: date) -> None:
    try:
        parsed = parse_practice_date(text, today)
    except DomainError:
        return
    assert parsed <= today
    assert looks_like_date(text)


@given(st.integers(min_value=0, max_value=3000), todays)
def test_days_ago_is_today_minus_n(n: int, today: date) -> None:
    assert parse_practice_date(f"{n} days ago", today) == today - timedelta(days=n)


@given(st.sampled_from(sorted(WEEKDAYS)), todays)
def test_weekday_is_most_recent_including_today(name: str, today: date) -> None:
    parsed = parse_practice_date(name, today)
    assert parsed.weekday() == WEEKDAYS[name]
    assert 0 <= (today - parsed).days <= 6
    last = parse_practice_date(f"last {name}", today)
    assert last.weekday() == WEEKDAYS[name]
    assert 1 <= (today - last).days <= 7


@given(todays, st.integers(min_value=0, max_value=364))
def test_day_month_finds_dates_within_the_last_year(today: date, back: int) -> None:
    d = today - timedelta(days=back)
    assert parse_practice_date(f"{d.day}.{d.month}", today) == d
    assert parse_practice_date(f"{d.day:02d}/{d.month:02d}", today) == d


@given(st.dates(min_value=date(1000, 1, 1), max_value=FRIDAY))
def test_iso_and_full_day_first_round_trip(d: date) -> None:
    assert parse_practice_date(d.isoformat(), FRIDAY) == d
    assert parse_practice_date(f"{d.day}.{d.month}.{d.year}", FRIDAY) == d


@given(todays, st.integers(min_value=0, max_value=6))
def test_format_then_parse_recent_dates(today: date, back: int) -> None:
    d = today - timedelta(days=back)
    label = format_date(d, today)
    if label in ("today", "yesterday"):
        assert parse_practice_date(label, today) == d
    else:
        assert parse_practice_date(label.split()[0], today) == d


@given(st.text(max_size=30), todays, st.sampled_from(DATE_ORDERS), st.booleans())
def test_a_reading_is_never_a_future_date(
    text: str, today: date, order: DateOrder, ask_order: bool
) -> None:
    reading = read_date(text, today, order, ask_order=ask_order)
    if reading is None:
        return
    for day in (reading.day, reading.guess, *(d for _, d in reading.choices)):
        assert day is None or day <= today


@given(st.integers(min_value=0, max_value=300), todays)
def test_weeks_ago_is_seven_days_each(n: int, today: date) -> None:
    assert parse_practice_date(f"{n} weeks ago", today) == today - timedelta(weeks=n)


@given(todays, st.integers(min_value=0, max_value=364))
def test_month_names_either_way_round_find_dates_within_the_last_year(
    today: date, back: int
) -> None:
    d = today - timedelta(days=back)
    month = d.strftime("%B")
    for text in (f"{d.day} {month}", f"{month[:3]} {d.day}", f"{month} {d.day}th, {d.year}"):
        assert parse_practice_date(text, today) == d, text


@given(todays, st.integers(min_value=0, max_value=364))
def test_every_formatted_date_reads_back(today: date, back: int) -> None:
    d = today - timedelta(days=back)
    assert parse_practice_date(format_date(d, today), today) == d


@given(st.sampled_from(sorted(WEEKDAYS)), todays)
def test_next_weekday_is_within_a_week_ahead_and_refused(name: str, today: date) -> None:
    assert read_date(f"next {name}", today) == DateReading(problem=FUTURE_DATE)


@given(st.integers(1, 12), st.integers(1, 12), todays)
def test_an_ambiguous_numeric_date_offers_both_orders_and_each_order_reads_its_own(
    a: int, b: int, today: date
) -> None:
    reading = read_date(f"{a}/{b}", today, ask_order=True)
    assert reading is not None
    if a == b:
        assert reading.choices == ()
        return
    assert [order for order, _ in reading.choices] == list(DATE_ORDERS)
    day_first, month_first = (day for _, day in reading.choices)
    assert (day_first.day, day_first.month) == (a, b)
    assert (month_first.month, month_first.day) == (a, b)
    assert parse_practice_date(f"{a}/{b}", today, "day_first") == day_first
    assert parse_practice_date(f"{a}/{b}", today, "month_first") == month_first


@given(st.integers(13, 31), st.integers(1, 12), todays, st.sampled_from(DATE_ORDERS))
def test_a_slash_date_that_fits_one_order_only_is_never_asked(
    day: int, month: int, today: date, order: DateOrder
) -> None:
    for text in (f"{day}/{month}", f"{month}/{day}"):
        reading = read_date(text, today, order, ask_order=True)
        assert reading is not None and reading.choices == ()
        if reading.day is not None:
            assert (reading.day.day, reading.day.month) == (day, month)

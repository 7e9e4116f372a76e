"""Goals: what "/goals react 4x week" means, and how far a week is towards each kind of goal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.analytics import DayTotal
from bot.domain.errors import DomainError
from bot.domain.goal_lines import done_of_target, status_text, target_text
from bot.domain.goals import (
    Goal,
    GoalKind,
    GoalRequest,
    GoalSet,
    GoalStatus,
    WeekActivity,
    goal_status,
    parse_goal_request,
    week_activities,
    week_met,
)

S, D, M, N = (
    GoalKind.SESSIONS_WEEK,
    GoalKind.DAYS_WEEK,
    GoalKind.MINUTES_WEEK,
    GoalKind.DAILY_MINUTES,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("react 4x week", GoalRequest("react", S, 4)),
        ("React 4x/week", GoalRequest("React", S, 4)),
        ("react 4 times a week", GoalRequest("react", S, 4)),
        ("react 4 sessions per week", GoalRequest("react", S, 4)),
        ("Python 3 4x week", GoalRequest("Python 3", S, 4)),
        ("react 3 days a week", GoalRequest("react", D, 3)),
        ("3 days a week", GoalRequest(None, D, 3)),
        ("react 2h week", GoalRequest("react", M, 120)),
        ("react 1.5h per week", GoalRequest("react", M, 90)),
        ("all 30h a week", GoalRequest(None, M, 1800)),
        ("20 min a day", GoalRequest(None, N, 20)),
        ("react 30m daily", GoalRequest("react", N, 30)),
        ("react off", GoalRequest("react", None, None)),
        ("react sessions off", GoalRequest("react", S, None)),
        ("off", GoalRequest(None, None, None)),
    ],
)
def test_typed_goals_are_understood(typed: str, expected: GoalRequest) -> None:
    assert parse_goal_request(typed) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("react 8 days a week", "A week has 7 days"),
        ("react 0x week", "at least 1"),
        ("react 71x week", "At most 70 sessions"),
        ("react 200h week", "168 hours"),
        ("react 25h a day", "24 hours"),
        ("react 4x day", "per week, not per day"),
        ("react", "couldn't read a goal"),
        ("", "Tell me the goal"),
    ],
)
def test_bad_goals_get_a_specific_message(typed: str, says: str) -> None:
    with pytest.raises(DomainError, match=says):
        parse_goal_request(typed)


MONDAY = date(2026, 11, 30)


def _week(*day_minutes: int, sessions: int | None = None) -> WeekActivity:
    days = {MONDAY + timedelta(days=i): m for i, m in enumerate(day_minutes) if m}
    return WeekActivity(days, sessions if sessions is not None else len(days))


def test_each_kind_counts_its_own_measure() -> None:
    week = _week(30, 0, 45, 10, sessions=5)
    thursday = MONDAY + timedelta(days=3)
    assert goal_status(Goal(S, 4), week, thursday).done == 5
    assert goal_status(Goal(S, 4), week, thursday).met
    assert goal_status(Goal(D, 4), week, thursday).done == 3
    assert not goal_status(Goal(D, 4), week, thursday).met
    assert goal_status(Goal(M, 120), week, thursday).done == 85
    assert goal_status(Goal(N, 15), week, thursday).done == 10
    assert not goal_status(Goal(N, 15), week, thursday).met


def test_a_week_meets_its_goals_only_when_every_weekly_goal_is_met() -> None:
    goals = GoalSet(weekly_goal_minutes=60, weekly_goal_days=2)
    assert week_met(goals, _week(30, 30)) is True
    assert week_met(goals, _week(59)) is False
    assert week_met(GoalSet(daily_goal_minutes=10), _week(30)) is None


@given(st.lists(st.tuples(st.integers(0, 13), st.integers(1, 3), st.integers(1, 300))))
def test_week_activities_add_up_over_skills(rows: list[tuple[int, int, int]]) -> None:
    totals = [DayTotal(MONDAY + timedelta(days=d), skill, m, 1) for d, skill, m in rows]
    found = week_activities(totals, MONDAY, MONDAY + timedelta(days=6))
    inside = [r for r in rows if r[0] < 7]
    overall = found.get(None)
    assert (overall.minutes if overall else 0) == sum(r[2] for r in inside)
    assert sum(a.sessions for k, a in found.items() if k is not None) == len(inside)
    assert all(a.days <= 7 for a in found.values())


@pytest.mark.parametrize(
    ("goal", "done", "target", "done_of", "status"),
    [
        (Goal(S, 4), 1, "4 sessions a week", "1 of 4 sessions", "1 of 4 sessions this week"),
        (Goal(S, 1), 1, "1 session a week", "1 of 1 session", "1 of 1 session this week ✅"),
        (Goal(D, 3), 2, "3 days a week", "2 of 3 days", "2 of 3 days this week"),
        (Goal(M, 120), 60, "2 h a week", "1 h of 2 h", "1 h of 2 h this week"),
        (Goal(M, 30), 0, "30 min a week", "0 min of 30 min", "0 min of 30 min this week"),
        (Goal(N, 20), 25, "20 min a day", "25 min of 20 min", "today 25 min of 20 min ✅"),
    ],
)
def test_goal_texts_count_in_the_kinds_unit(
    goal: Goal, done: int, target: str, done_of: str, status: str
) -> None:
    assert target_text(goal) == target
    assert done_of_target(goal, done) == done_of
    assert status_text(GoalStatus(goal, done, done >= goal.target)) == status

"""/today's ranking: behind on a goal, off its rhythm, low confidence, then the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.goals import EMPTY_WEEK, GoalSet, WeekActivity
from bot.domain.today import SkillSignals, Why, rank, suggest

TODAY = date(2026, 11, 25)  # Wednesday: 5 days left in a Monday week
NO_GOALS = GoalSet()


def _skill(
    skill_id: int,
    *,
    goals: GoalSet = NO_GOALS,
    week: WeekActivity = EMPTY_WEEK,
    last: int | None = None,
    active_days: int = 0,
    minutes: int = 0,
    confidence: float | None = None,
    focus: str | None = None,
) -> SkillSignals:
    return SkillSignals(
        skill_id,
        f"Skill {skill_id}",
        goals,
        week,
        None if last is None else TODAY - timedelta(days=last),
        active_days,
        minutes,
        confidence,
        focus,
    )


def test_each_reason_is_found() -> None:
    behind = _skill(1, goals=GoalSet(weekly_goal_sessions=4), week=WeekActivity({}, 1))
    s = suggest(behind, TODAY, 5)
    assert (s.why, s.done, s.days_left) == (Why.GOAL, 1, 5)
    late = suggest(_skill(2, last=6, active_days=28), TODAY, 5)  # usually every 2 days
    assert (late.why, late.days_since, late.usual_gap) == (Why.RHYTHM, 6, 2.0)
    weekly = suggest(_skill(3, last=4, active_days=8), TODAY, 5)  # usually every 7 days
    assert weekly.why is Why.NONE
    shaky = suggest(_skill(4, last=1, active_days=2, confidence=2.0), TODAY, 5)
    assert shaky.why is Why.CONFIDENCE
    daily = suggest(_skill(5, goals=GoalSet(daily_goal_minutes=20)), TODAY, 5)
    assert (daily.why, daily.done) == (Why.DAILY, 0)


def test_the_most_pressing_comes_first_and_the_rest_by_recent_use() -> None:
    ranked = rank(
        [
            _skill(1, minutes=500),
            _skill(2, goals=GoalSet(weekly_goal_sessions=4), week=WeekActivity({}, 1)),
            _skill(3, goals=GoalSet(weekly_goal_sessions=2), week=WeekActivity({}, 1)),
            _skill(4, minutes=900),
        ],
        TODAY,
        5,
    )
    assert [s.skill_id for s in ranked] == [2, 3, 4, 1]


def test_a_goal_met_is_no_reason_and_practising_today_lowers_the_rank() -> None:
    done = WeekActivity({TODAY: 30, TODAY - timedelta(days=1): 30}, 2)
    assert suggest(_skill(1, goals=GoalSet(weekly_goal_days=2), week=done), TODAY, 5).why is (
        Why.NONE
    )
    behind = GoalSet(weekly_goal_sessions=5)
    today_done = WeekActivity({TODAY: 30}, 1)
    fresh = suggest(_skill(1, goals=behind, week=today_done, last=0), TODAY, 5)
    untouched = suggest(_skill(2, goals=behind, week=WeekActivity({}, 1), last=3), TODAY, 5)
    assert fresh.score < untouched.score


signals = st.builds(
    lambda i, target, done, last, days, conf, focus: _skill(
        i,
        goals=GoalSet(weekly_goal_sessions=target),
        week=WeekActivity({}, done),
        last=last,
        active_days=days,
        confidence=conf,
        focus=focus,
    ),
    st.integers(1, 10_000),
    st.one_of(st.none(), st.integers(1, 14)),
    st.integers(0, 14),
    st.one_of(st.none(), st.integers(0, 55)),
    st.integers(0, 56),
    st.one_of(st.none(), st.floats(1, 5)),
    st.one_of(st.none(), st.just("left-hand legato at 100 bpm")),
)


@given(st.lists(signals, max_size=12, unique_by=lambda s: s.skill_id), st.integers(1, 7))
def test_ranking_keeps_every_skill_once_most_pressing_first(
    skills: list[SkillSignals], days_left: int
) -> None:
    ranked = rank(skills, TODAY, days_left)
    assert sorted(s.skill_id for s in ranked) == sorted(s.skill_id for s in skills)
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all((s.why is Why.NONE) == (s.score == 0) for s in ranked)


def test_a_next_focus_is_a_reason_below_every_other() -> None:
    focus = suggest(_skill(1, last=1, focus="left-hand legato"), TODAY, 5)
    assert (focus.why, focus.next_focus) == (Why.FOCUS, "left-hand legato")
    behind = _skill(2, goals=GoalSet(weekly_goal_sessions=4), week=WeekActivity({}, 3), last=1)
    also_focus = suggest(
        _skill(
            2,
            goals=GoalSet(weekly_goal_sessions=4),
            week=WeekActivity({}, 3),
            last=1,
            focus="arpeggios",
        ),
        TODAY,
        5,
    )
    assert also_focus.why is Why.GOAL  # one reason each: the more pressing one
    ranked = rank(
        [_skill(3, minutes=900, last=1), focus_skill := _skill(1, focus="x"), behind], TODAY, 5
    )
    assert [s.skill_id for s in ranked] == [2, focus_skill.skill_id, 3]


@given(
    st.lists(signals, min_size=1, max_size=12, unique_by=lambda s: s.skill_id), st.integers(1, 7)
)
def test_a_skill_with_only_a_next_focus_ranks_between_the_pressing_and_the_rest(
    skills: list[SkillSignals], days_left: int
) -> None:
    # Nobody practised today: no reason is halved.
    skills = [s if s.last_practised != TODAY else replace(s, last_practised=None) for s in skills]
    ranked = rank(skills, TODAY, days_left)
    kinds = [s.why for s in ranked]
    pressing = [i for i, why in enumerate(kinds) if why not in (Why.FOCUS, Why.NONE)]
    focus = [i for i, why in enumerate(kinds) if why is Why.FOCUS]
    rest = [i for i, why in enumerate(kinds) if why is Why.NONE]
    assert max(pressing, default=-1) < min(focus, default=len(ranked))
    assert max(focus, default=-1) < min(rest, default=len(ranked))
    with_focus = {s.skill_id for s in skills if s.next_focus}
    assert all(s.skill_id in with_focus for s in ranked if s.why is Why.FOCUS)


@given(st.integers(1, 14), st.integers(0, 13), st.integers(1, 6))
def test_less_time_left_means_more_pressure(target: int, done: int, days_left: int) -> None:
    skill = _skill(1, goals=GoalSet(weekly_goal_sessions=target), week=WeekActivity({}, done))
    sooner = suggest(skill, TODAY, days_left)
    later = suggest(skill, TODAY, days_left + 1)
    assert sooner.score >= later.score

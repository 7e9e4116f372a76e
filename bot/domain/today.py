"""What to practise today: the user's skills ranked by how much each needs attention now.

Each skill gets at most one reason, the most pressing of:
- **behind on a weekly goal** — what is left divided by the days left in the week, so
  "1 of 4 sessions, 2 days left" outranks "1 of 2 days, 5 days left";
- **a daily minimum not yet reached today**;
- **not touched relative to its usual rhythm** — days since the last session against the
  usual gap between practice days over the last few weeks (a weekly skill is not "late" after
  three days, a daily one is);
- **low recent confidence** — the average rating of recent sessions at 2.5/5 or below;
- **its saved next focus** (what the user said to work on next) — below every other reason,
  above skills with nothing to say.
Skills without a reason follow, most practised recently first. The same ranking orders the
Quick Log buttons of /today, the evening streak reminder and the inactivity nudge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Final

from bot.domain.goals import Goal, GoalKind, GoalSet, WeekActivity, goal_status

RHYTHM_WINDOW_DAYS: Final = 56
CONFIDENCE_WINDOW_DAYS: Final = 14
LOW_CONFIDENCE: Final = 2.5
LATE_FACTOR: Final = 1.5
MIN_LATE_DAYS: Final = 2
# Every other reason scores at least 1.0: a next focus alone is worth less than any of them.
FOCUS_SCORE: Final = 0.5


class Why(StrEnum):
    """The kind of reason a skill is suggested."""

    GOAL = "goal"
    DAILY = "daily"
    RHYTHM = "rhythm"
    CONFIDENCE = "confidence"
    FOCUS = "focus"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SkillSignals:
    """What the ranking knows of one skill: goals, this week, rhythm and recent ratings."""

    skill_id: int
    name: str
    goals: GoalSet
    week: WeekActivity
    last_practised: date | None
    active_days: int  # practice days in the last RHYTHM_WINDOW_DAYS
    recent_minutes: int  # minutes in the last RHYTHM_WINDOW_DAYS
    confidence: float | None  # mean rating over the last CONFIDENCE_WINDOW_DAYS
    next_focus: str | None = None  # what the user said to work on next, after a timer


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A skill, why it is suggested, how urgent that is, and the figures for the sentence."""

    skill_id: int
    name: str
    why: Why
    score: float
    goal: Goal | None = None
    done: int = 0
    days_left: int = 0
    days_since: int | None = None
    usual_gap: float | None = None
    confidence: float | None = None
    next_focus: str | None = None


def usual_gap(active_days: int, window_days: int = RHYTHM_WINDOW_DAYS) -> float | None:
    """Typical days between sessions over the window (None with fewer than 3 practice days)."""
    return window_days / active_days if active_days >= 3 else None


def _goal_reason(s: SkillSignals, today: date, days_left: int) -> Suggestion | None:
    best: Suggestion | None = None
    for goal in s.goals.goals:
        status = goal_status(goal, s.week, today)
        if status.met:
            continue
        left = goal.target - status.done
        if goal.kind is GoalKind.DAILY_MINUTES:
            candidate = Suggestion(
                s.skill_id, s.name, Why.DAILY, 1.0 + left / goal.target, goal, status.done, 1
            )
        else:
            if goal.kind is GoalKind.MINUTES_WEEK:
                # Minutes count as sessions of about half an hour for urgency's sake.
                pressure = (left / 30) / days_left
            else:
                pressure = left / days_left
            if goal.kind is GoalKind.DAYS_WEEK and left > days_left:
                pressure += 1  # can no longer be met: still worth the most of any goal
            candidate = Suggestion(
                s.skill_id, s.name, Why.GOAL, 1.0 + pressure, goal, status.done, days_left
            )
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def suggest(s: SkillSignals, today: date, days_left: int) -> Suggestion:
    """The most pressing reason to practise this skill today (Why.NONE when there is none)."""
    practised_today = s.last_practised == today
    reasons: list[Suggestion] = []
    if goal := _goal_reason(s, today, days_left):
        reasons.append(goal)
    gap = usual_gap(s.active_days)
    if s.last_practised is not None and not practised_today:
        since = (today - s.last_practised).days
        if gap is not None and since >= max(MIN_LATE_DAYS, LATE_FACTOR * gap):
            reasons.append(
                Suggestion(
                    s.skill_id, s.name, Why.RHYTHM, since / gap, days_since=since, usual_gap=gap
                )
            )
    if s.confidence is not None and s.confidence <= LOW_CONFIDENCE:
        reasons.append(
            Suggestion(
                s.skill_id, s.name, Why.CONFIDENCE, 1.0 + (LOW_CONFIDENCE - s.confidence) / 5,
                confidence=s.confidence,
            )
        )  # fmt: skip
    if s.next_focus:
        reasons.append(
            Suggestion(s.skill_id, s.name, Why.FOCUS, FOCUS_SCORE, next_focus=s.next_focus)
        )
    if not reasons:
        return Suggestion(s.skill_id, s.name, Why.NONE, 0.0)
    best = max(reasons, key=lambda r: r.score)
    # Done today already: still listed, below the skills not yet touched today.
    return best if not practised_today else _halved(best)


def _halved(s: Suggestion) -> Suggestion:
    return replace(s, score=s.score / 2)


def rank(signals: Sequence[SkillSignals], today: date, days_left: int) -> list[Suggestion]:
    """Every skill's suggestion, most pressing first; ties and reasonless skills by recent use."""
    recent = {s.skill_id: s.recent_minutes for s in signals}
    suggestions = [suggest(s, today, days_left) for s in signals]
    return sorted(
        suggestions, key=lambda x: (-x.score, -recent[x.skill_id], x.name.casefold(), x.skill_id)
    )

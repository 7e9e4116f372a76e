"""Goals and the week start: read them with this week's progress, and change them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.analytics import DayTotal
from bot.domain.errors import DomainError
from bot.domain.goal_lines import goal_line
from bot.domain.goals import (
    EMPTY_WEEK,
    GoalKind,
    GoalRequest,
    GoalSet,
    GoalStatus,
    goal_status,
    week_activities,
)
from bot.domain.weeks import user_week_start, week_of
from bot.services.skill_lookup import skills_matching
from storage.repositories.goals import UserGoals
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """The goals of one skill (``skill_id`` None: overall) with this week's progress."""

    skill_id: int | None
    name: str | None
    goals: GoalSet
    statuses: tuple[GoalStatus, ...]


@dataclass(frozen=True, slots=True)
class GoalsOverview:
    """This week's bounds, the week start, whether the user chose it, and every goal's status."""

    week_start: int
    chosen: bool
    first: date
    last: date
    overall: GoalProgress
    skills: list[GoalProgress]

    @property
    def with_goals(self) -> list[GoalProgress]:
        """The overall goals (if any) and the skills that have goals."""
        items = [self.overall] if self.overall.statuses else []
        return items + [s for s in self.skills if s.statuses]


async def week_start_for(uow: UnitOfWork, user_id: int, timezone: str) -> int:
    """The user's week start: their choice, else their time zone's region's."""
    return user_week_start(await uow.goals.week_start(user_id), timezone)


async def week_start_choice(uow: UnitOfWork, user_id: int, timezone: str) -> tuple[int, bool]:
    """The user's week start, and whether they chose it (else it is their region's)."""
    chosen = await uow.goals.week_start(user_id)
    return user_week_start(chosen, timezone), chosen is not None


async def chart_settings(uow: UnitOfWork, user_id: int) -> tuple[int, int | None]:
    """The week start and the overall weekly goal in minutes (for the weekly chart's goal line)."""
    overall, chosen, timezone = await uow.goals.overall_goals(user_id)
    return user_week_start(chosen, timezone), overall.weekly_goal_minutes


async def goals_overview(
    uow: UnitOfWork, user_id: int, today: date, timezone: str, skill_id: int | None = None
) -> GoalsOverview:
    """Every goal with this week's progress (only one skill's and the overall when given)."""
    found = await uow.goals.user_goals(user_id, skill_id)
    return await _overview(uow, user_id, today, found, timezone)


async def card_goal_lines(uow: UnitOfWork, user_id: int, today: date, skill_id: int) -> list[str]:
    """'🎯 React: 3 of 4 sessions this week' for a saved session's skill and the overall goals.

    Two cheap reads when neither has a goal; one week of daily figures more when one does.
    """
    found = await uow.goals.user_goals(user_id, skill_id)
    overview = await _overview(uow, user_id, today, found, found.timezone)
    return [
        goal_line(g.name, g.statuses) for g in (*overview.skills, overview.overall) if g.statuses
    ]


async def _overview(
    uow: UnitOfWork, user_id: int, today: date, found: UserGoals, timezone: str
) -> GoalsOverview:
    """This week's progress towards the goals found."""
    week_start = user_week_start(found.week_start, timezone)
    first, last = week_of(today, week_start)
    # Without a goal there is no progress to measure, so the week's figures are not read.
    has_goals = bool(found.overall.goals) or any(s.goals.goals for s in found.skills)
    rows = await uow.analytics.daily_totals(user_id, first, today) if has_goals else []
    overall, *skills = goal_progress(found, rows, first, today)
    return GoalsOverview(
        week_start=week_start,
        chosen=found.week_start is not None,
        first=first,
        last=last,
        overall=overall,
        skills=skills,
    )


def goal_progress(
    found: UserGoals, rows: Iterable[DayTotal], first: date, last: date
) -> list[GoalProgress]:
    """The overall goals, then each skill's, with progress over first..last (daily: on last)."""
    weeks = week_activities(rows, first, last)

    def progress(key: int | None, name: str | None, goals: GoalSet) -> GoalProgress:
        week = weeks.get(key, EMPTY_WEEK)
        statuses = tuple(goal_status(goal, week, last) for goal in goals.goals)
        return GoalProgress(key, name, goals, statuses)

    return [progress(None, None, found.overall)] + [
        progress(s.skill_id, s.name, s.goals) for s in found.skills
    ]


@dataclass(frozen=True, slots=True)
class GoalChange:
    """What a typed goal changed: whose goal, which kind (None: all of them), the new target."""

    skill_id: int | None
    name: str | None
    kind: GoalKind | None
    target: int | None


async def apply_goal_request(uow: UnitOfWork, user_id: int, request: GoalRequest) -> GoalChange:
    """Save a typed goal for the skill it names (or overall), then commit."""
    skill_id: int | None = None
    name: str | None = None
    if request.skill is not None:
        matches = await skills_matching(uow, user_id, request.skill)
        if not matches:
            raise DomainError(
                f"You have no active skill called “{request.skill[:40]}”. /skills lists them."
            )
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches[:5])
            raise DomainError(f"“{request.skill[:40]}” could be {names}. Type more of the name.")
        skill_id, name = matches[0].id, matches[0].name
    await set_goal(uow, user_id, skill_id, request.kind, request.target)
    return GoalChange(skill_id, name, request.kind, request.target)


async def set_goal(
    uow: UnitOfWork, user_id: int, skill_id: int | None, kind: GoalKind | None, target: int | None
) -> None:
    """Set or remove one goal (every goal when ``kind`` is None), then commit."""
    if kind is None:
        changed = await uow.goals.clear_goals(user_id, skill_id)
    else:
        if target is not None and not 1 <= target <= kind.limit:
            raise DomainError("That target is out of range.")
        changed = await uow.goals.set_goal(user_id, skill_id, kind, target)
    if not changed:
        raise DomainError("That skill is gone or archived. /goals shows the current ones.")
    await uow.commit()


async def set_week_start(uow: UnitOfWork, user_id: int, week_start: int | None) -> None:
    """Choose the first day of the week (None: the region's), then commit."""
    if week_start is not None and not 0 <= week_start <= 6:
        raise DomainError("A week starts on one of its seven days.")
    await uow.goals.set_week_start(user_id, week_start)
    await uow.commit()

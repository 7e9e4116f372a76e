"""Build one claimed message: re-check that it is still due, then render text, buttons, chart."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.domain.analytics import DayTotal, series_window_start, weekly_series, with_names
from bot.domain.goal_lines import goal_line
from bot.domain.goals import GoalKind
from bot.domain.reminders import (
    WEEKLY_ACTIVITY_DAYS,
    LocalClock,
    ReminderFacts,
    ReminderKind,
    ReminderPrefs,
    inactivity_base,
    inactivity_step,
    is_due,
    local_clock,
)
from bot.domain.skills import SkillRef
from bot.domain.streaks import Streak, compute_streak
from bot.domain.weeks import last_full_week, user_week_start
from bot.services.goals import goal_progress
from bot.services.insights import skill_progress
from bot.services.reminder_settings import prefs_of
from bot.services.timer import next_focuses
from bot.services.today import ranked_skills
from bot.ui import reminders as texts
from bot.ui.callbacks import ReminderOpen, ReminderStreakOff
from bot.ui.charts import weekly_minutes_chart
from bot.ui.keyboards import Button, markup, press
from bot.ui.quick_log import START_TIMER_BUTTON, new_nonce, quick_log_rows
from bot.ui.timer import next_focus_block
from storage.models import User
from storage.repositories.goals import UserGoals
from storage.repositories.reminders import CLAIMED, Claim
from storage.uow import UnitOfWork

# A streak longer than this still shows as this long; it keeps the query bounded.
STREAK_WINDOW_DAYS = 400


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message ready to send: text and buttons, and optionally a chart photo after it."""

    chat_id: int
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    """Why a claimed message will not go out; `settle` is the ledger status to record."""

    reason: str
    settle: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A claim that is still ours and still due, with what rendering it needs."""

    user: User
    clock: LocalClock
    facts: ReminderFacts
    prefs: ReminderPrefs


async def user_streak(uow: UnitOfWork, user_id: int, today: date) -> tuple[Streak, list[date]]:
    """The user's streak today from the distinct dates of the last STREAK_WINDOW_DAYS."""
    dates = await uow.analytics.practice_dates(
        user_id, today - timedelta(days=STREAK_WINDOW_DAYS), today
    )
    return compute_streak(dates, today), dates


async def check(uow: UnitOfWork, claim: Claim, now: datetime) -> Verdict | Skip:
    """Is the claim still ours, its period still current, and the message still due?"""
    state = await uow.reminders.ledger_state(claim.user_id, claim.ledger_id)
    if state is None or state.status != CLAIMED or state.claimed_at != claim.claimed_at:
        # Another instance took the claim over (ours sat past its lease): it is theirs now.
        return Skip("claim taken over")
    user = await uow.users.get(claim.user_id)
    if user is None:
        return Skip("user gone")
    clock = local_clock(user.timezone, now)
    if clock.period_key != claim.period_key:
        return Skip("period over", settle="expired")
    if not user.is_reachable:
        return Skip("user unreachable", settle="skipped")
    kind = ReminderKind(claim.kind)
    streak, dates = await user_streak(uow, user.id, clock.today)
    last = dates[-1] if dates else await uow.reminders.last_practiced(user.id)
    rival = kind.rival
    facts = ReminderFacts(
        last_practiced=last,
        practised_today=bool(dates) and dates[-1] == clock.today,
        streak=streak,
        practised_recently=bool(dates) and (clock.today - dates[-1]).days < WEEKLY_ACTIVITY_DAYS,
        joined=user.created_at.date(),
        rival_claimed=rival is not None
        and await uow.reminders.rival_claimed(user.id, rival.value, claim.period_key),
    )
    prefs = prefs_of(user)
    if not is_due(kind, prefs, clock, facts):
        return Skip("no longer due", settle="skipped")
    return Verdict(user, clock, facts, prefs)


async def render(uow: UnitOfWork, claim: Claim, verdict: Verdict) -> Outgoing:
    """The message for a claim that passed :func:`check`."""
    kind = ReminderKind(claim.kind)
    if kind is ReminderKind.WEEKLY:
        return await _weekly(uow, verdict)
    user, clock, facts = verdict.user, verdict.clock, verdict.facts
    # The same order as /today: the skills that most need practice now come first.
    skills = await ranked_skills(uow, user.id, clock.today)
    # One tap logs a session for *today* (at press time): bot/handlers/quick.py saves it.
    rows: list[list[Button]] = quick_log_rows(skills, new_nonce()) if skills else []
    if kind is ReminderKind.STREAK:
        text = texts.streak_text(facts.streak, has_skills=bool(skills))
        rows.append([press("🔕 No more streak reminders", ReminderStreakOff())])
    else:
        base = inactivity_base(facts.last_practiced, verdict.prefs.paused_until, facts.joined)
        step = inactivity_step(base, clock.today, verdict.prefs.inactivity_days) or 1
        last = facts.last_practiced
        text = texts.inactivity_text(
            days_since=None if last is None else (clock.today - last).days,
            last_practiced=last,
            today=clock.today,
            streak=facts.streak,
            step=step,
            has_skills=bool(skills),
        )
    if skills:
        rows.append([START_TIMER_BUTTON])
    rows.append([press("⚙️ Reminder settings", ReminderOpen())])
    return Outgoing(user.chat_id, text, markup(rows))


async def _weekly(uow: UnitOfWork, verdict: Verdict) -> Outgoing:
    user, today = verdict.user, verdict.clock.today
    week_start = user_week_start(user.week_start, user.timezone)
    # The week that just ended (this one, on its last day), against the one before it.
    start, end = last_full_week(today, week_start)
    prev_start, prev_end = start - timedelta(days=7), start - timedelta(days=1)
    first = series_window_start(end, texts.WEEKLY_CHART_WEEKS, week_start)
    refs = await uow.analytics.skills(user.id)
    names = {ref.skill_id: ref.name for ref in refs}
    rows = await uow.analytics.daily_totals(user.id, first, today)
    daily = with_names(rows, names)

    this_week: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in daily:
        slot = 0 if start <= r.day <= end else 2 if prev_start <= r.day <= prev_end else None
        if slot is not None:
            this_week[r.skill_id][slot] += r.minutes
            this_week[r.skill_id][slot + 1] += r.sessions
    skills = sorted(
        (
            texts.SkillWeek(names[sid], m, n, pm, pn)
            for sid, (m, n, pm, pn) in this_week.items()
            if m or pm
        ),
        key=lambda s: (-s.minutes, -s.previous_minutes, s.name.casefold()),
    )
    total = [sum(v[i] for v in this_week.values()) for i in range(4)]

    found = await uow.goals.user_goals(user.id)
    goals: list[texts.GoalLine] = []
    if user.weekly_goal_minutes:
        goals.append(texts.GoalLine(None, total[0], user.weekly_goal_minutes))
    for skill in found.skills:
        if (target := skill.goals.weekly_goal_minutes) is not None:
            done = this_week[skill.skill_id][0] if skill.skill_id in this_week else 0
            goals.append(texts.GoalLine(skill.name, done, target))
    other_goals = _other_goal_lines(found, rows, start, end)

    practised = {r.skill_id for r in daily if r.day >= start}
    progress = await _progress_changes(
        uow, user.id, [r for r in refs if r.skill_id in practised], today
    )

    zone = ZoneInfo(user.timezone)
    evidence = await uow.reminders.evidence_counts(
        user.id,
        datetime.combine(start, time(), zone),
        datetime.combine(end + timedelta(days=1), time(), zone),
    )
    summary = texts.WeeklySummary(
        start=start,
        end=end,
        minutes=total[0],
        sessions=total[1],
        previous_minutes=total[2],
        previous_sessions=total[3],
        skills=skills,
        streak=verdict.facts.streak,
        goals=goals,
        other_goals=other_goals,
        progress=progress,
        evidence=evidence,
    )
    # The chart's weeks are the user's weeks, so its last bar is exactly this summary.
    series = weekly_series(daily, end, weeks=texts.WEEKLY_CHART_WEEKS, week_start=week_start)
    chart = await asyncio.to_thread(
        partial(
            weekly_minutes_chart,
            series,
            texts.WEEKLY_CHART_CAPTION,
            goal_minutes=user.weekly_goal_minutes,
            week_start=week_start,
        )
    )
    text = texts.weekly_text(summary) + next_focus_block(await next_focuses(uow, user.id))
    return Outgoing(user.chat_id, text, photo=chart)


def _other_goal_lines(found: UserGoals, rows: list[DayTotal], start: date, end: date) -> list[str]:
    """Progress towards the goals counted in sessions or days (minutes have their bars)."""
    lines = []
    for item in goal_progress(found, rows, start, end):
        statuses = [
            s for s in item.statuses if s.goal.kind in (GoalKind.SESSIONS_WEEK, GoalKind.DAYS_WEEK)
        ]
        if statuses:
            lines.append(goal_line(item.name, statuses).replace(" this week", ""))
    return lines


async def _progress_changes(
    uow: UnitOfWork, user_id: int, skills: list[SkillRef], today: date
) -> list[texts.ProgressChange]:
    """Progress a week ago against today, for the skills practised this week."""
    changes = []
    for ref in skills:
        report = await skill_progress(uow, user_id, ref, today)
        # history_days samples weekly, ending today: the one before last is a week ago.
        week_ago = report.history[-2].percent if len(report.history) > 1 else 0.0
        changes.append(
            texts.ProgressChange(
                ref.name,
                week_ago,
                report.progress.percent,
                report.progress.stage.value.capitalize(),
            )
        )
    return sorted(changes, key=lambda c: (-c.after, c.name.casefold()))

"""Pure renderers of reminder, summary and settings texts (HTML; user text escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.dates import format_date
from bot.domain.reminders import (
    MAX_UNANSWERED,
    ReminderPrefs,
    format_minute,
    progress_bar,
)
from bot.domain.streaks import Streak
from bot.domain.weeks import WEEKDAY_NAMES, week_label
from bot.ui.callbacks import ReminderOpen
from bot.ui.keyboards import markup, press
from bot.ui.texts import esc, minutes, plural

# Callback prefix of /reminders and of the buttons under reminders (bot/handlers/reminders.py).
MAX_LISTED_SKILLS = 10
EVIDENCE_WORDS = {
    "link": "link",
    "note": "note",
    "screenshot": "screenshot",
    "voice": "voice message",
    "audio": "audio file",
    "video": "video",
    "video_note": "video note",
    "document": "document",
}
WEEKLY_CHART_WEEKS = 8
WEEKLY_CHART_CAPTION = f"Practice per week, last {WEEKLY_CHART_WEEKS} weeks"

REMINDERS_OFFER = (
    "⏰ By default I nudge you after 2 days without practice (at 18:00), remind you at 20:00 "
    "when a streak is about to end, and send a weekly summary on Sundays at 18:00, all in your "
    "time zone. /reminders changes or pauses any of it."
)
REMINDERS_BUTTON = markup([[press("⏰ Reminder settings", ReminderOpen())]])


def days_phrase(days: int) -> str:
    """'since yesterday', '3 days'."""
    return plural(days, "day")


def inactivity_text(
    *,
    days_since: int | None,
    last_practiced: date | None,
    today: date,
    streak: Streak,
    step: int,
    has_skills: bool,
) -> str:
    """The nudge after N days without practice; the last of three says it is the last."""
    if last_practiced is None or days_since is None:
        lines = ["👋 You haven't logged a practice session yet."]
    elif days_since == 1:
        lines = ["👋 No practice logged today yet — your last session was yesterday."]
    else:
        lines = [
            f"👋 It's been {days_phrase(days_since)} since your last practice session "
            f"({esc(format_date(last_practiced, today))})."
        ]
    if streak.at_risk and streak.current >= 1:
        lines.append(
            f"🔥 Your {streak.current}-day streak ends at midnight — one session keeps it alive."
        )
    elif streak.longest >= 2:
        lines.append(f"Your best streak so far is {streak.longest} days. Start a new one today!")
    if has_skills:
        lines.append("One tap logs a session for today:")
    else:
        lines.append("Add what you practise with /addskill, then log a session with /log.")
    if step >= MAX_UNANSWERED:
        lines.append(
            "\n<i>This is my last nudge for now: I'll stay quiet until you log a session again. "
            "/reminders changes how often I remind you.</i>"
        )
    return "\n".join(lines)


def streak_text(streak: Streak, *, has_skills: bool = True) -> str:
    """'Your 12-day streak ends at midnight' with a call to one tap."""
    call = (
        "One quick session keeps it alive — tap to log it for today:"
        if has_skills
        else "One session keeps it alive: log it with /log."
    )
    return f"🔥 Your {streak.current}-day streak ends at midnight!\n{call}"


STREAK_OFF_DONE = "🔕 Streak reminders are off. Turn them back on any time in /reminders."


@dataclass(frozen=True, slots=True)
class SkillWeek:
    """One skill's minutes and sessions this week and last week."""

    name: str
    minutes: int
    sessions: int
    previous_minutes: int
    previous_sessions: int


@dataclass(frozen=True, slots=True)
class GoalLine:
    """Progress against a weekly goal (overall when `name` is None)."""

    name: str | None
    done: int
    goal: int


@dataclass(frozen=True, slots=True)
class ProgressChange:
    """A skill's progress percentage a week ago and now."""

    name: str
    before: float
    after: float
    stage: str


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """Everything the weekly summary shows."""

    start: date
    end: date
    minutes: int
    sessions: int
    previous_minutes: int
    previous_sessions: int
    skills: Sequence[SkillWeek]
    streak: Streak
    goals: Sequence[GoalLine]
    progress: Sequence[ProgressChange]
    evidence: dict[str, int]
    # Goals counted in sessions or days, already rendered (HTML-safe).
    other_goals: Sequence[str] = ()


def _change(current: int, previous: int) -> str:
    if previous == 0:
        return ""
    percent = round((current - previous) / previous * 100)
    return f" ({'+' if percent >= 0 else '−'}{abs(percent)}%)"


def weekly_text(summary: WeeklySummary) -> str:
    """The weekly summary: totals against last week, per skill, streak, goals, progress."""
    s = summary
    lines = [
        f"📊 <b>Your week</b>, {week_label(s.start, s.end)}",
        f"⏱ {minutes(s.minutes)} in {plural(s.sessions, 'session')} — last week "
        f"{minutes(s.previous_minutes)} in {plural(s.previous_sessions, 'session')}"
        f"{_change(s.minutes, s.previous_minutes)}",
    ]
    if s.skills:
        lines += ["", "<b>By skill</b> (this week · last week)"]
        for skill in s.skills[:MAX_LISTED_SKILLS]:
            lines.append(
                f"• {esc(skill.name)} — {minutes(skill.minutes)}, "
                f"{plural(skill.sessions, 'session')} · {minutes(skill.previous_minutes)}, "
                f"{plural(skill.previous_sessions, 'session')}"
            )
        if len(s.skills) > MAX_LISTED_SKILLS:
            lines.append(f"…and {len(s.skills) - MAX_LISTED_SKILLS} more")
    lines.append("")
    if s.streak.current >= 1:
        lines.append(
            f"🔥 Streak: {plural(s.streak.current, 'day')} (best {plural(s.streak.longest, 'day')})"
        )
    else:
        lines.append(f"🔥 No streak right now (best {plural(s.streak.longest, 'day')})")
    for goal in s.goals[: MAX_LISTED_SKILLS + 1]:
        label = "🎯 Weekly goal" if goal.name is None else f"🎯 {esc(goal.name)}"
        lines.append(
            f"{label}: {progress_bar(goal.done, goal.goal)} — "
            f"{minutes(goal.done)} of {minutes(goal.goal)}"
        )
    lines.extend(s.other_goals[: MAX_LISTED_SKILLS + 1])
    if s.progress:
        changes = [
            f"{esc(p.name)} {p.before:.0f}% → {p.after:.0f}% ({p.stage})"
            for p in s.progress[:MAX_LISTED_SKILLS]
        ]
        lines.append("📈 Progress: " + " · ".join(changes))
    total_evidence = sum(s.evidence.values())
    if total_evidence:
        kinds = ", ".join(
            plural(n, EVIDENCE_WORDS.get(kind, kind)) for kind, n in sorted(s.evidence.items()) if n
        )
        lines.append(f"📎 Evidence added: {total_evidence} ({kinds})")
    else:
        lines.append("📎 No evidence added this week — send a link, note or screenshot any time.")
    return "\n".join(lines)


# ----- the /reminders screens -----


def onoff(enabled: bool) -> str:
    """'on' or 'off' in bold."""
    return "<b>on</b>" if enabled else "<b>off</b>"


def settings_text(
    prefs: ReminderPrefs, goal: int | None, skill_goals: int, timezone: str, today: date
) -> str:
    """The /reminders overview."""
    inactivity = (
        f"after {plural(prefs.inactivity_days, 'day')} without practice, at "
        f"{format_minute(prefs.inactivity_minute)}"
        if prefs.inactivity_enabled
        else ""
    )
    weekly = (
        f"{WEEKDAY_NAMES[prefs.weekly_weekday]}s at {format_minute(prefs.weekly_minute)}"
        if prefs.weekly_enabled
        else ""
    )
    streak = (
        f"at {format_minute(prefs.streak_minute)} when a streak of 2+ days would end"
        if prefs.streak_enabled
        else ""
    )
    goal_text = minutes(goal) if goal else "none"
    if skill_goals:
        goal_text += f" (+ {plural(skill_goals, 'skill goal')})"
    paused = (
        f"⏸ <b>Paused through {esc(format_date(prefs.paused_until, today))}</b> — "
        "nothing is sent until then.\n\n"
        if prefs.paused_until is not None and prefs.paused_until >= today
        else ""
    )
    return (
        "⏰ <b>Reminders</b>\n\n"
        f"{paused}"
        f"👋 Inactivity nudge: {onoff(prefs.inactivity_enabled)} {inactivity}\n"
        f"🔥 Streak reminder: {onoff(prefs.streak_enabled)} {streak}\n"
        f"📊 Weekly summary: {onoff(prefs.weekly_enabled)} {weekly}\n"
        f"🎯 Weekly goal: {goal_text}\n\n"
        f"Times are in your time zone, {esc(timezone)} (/timezone changes it). "
        "Tap what you want to change."
    )

"""/streak: current and longest streaks, overall and per skill, and today's deadline."""

from __future__ import annotations

from bot.core.runtime import Turn, handler
from bot.services.coach import coach_report
from bot.services.goals import week_start_for
from bot.services.insights import streak_report
from bot.ui.coach import goal_streak_line, habit_line
from bot.ui.reports import NO_PRACTICE, streak_text


@handler
async def streak_command(turn: Turn) -> None:
    """/streak: streaks in the user's own calendar days, with freezes, goals and habits."""
    if not await turn.uow.analytics.has_practice(turn.user_id):
        await turn.reply(NO_PRACTICE)
        return
    week_start = await week_start_for(turn.uow, turn.user_id, turn.timezone)
    report = await streak_report(turn.uow, turn.user_id, turn.today, week_start)
    coach = await coach_report(turn.uow, turn.user_id, turn.today)
    extra = [goal_streak_line(item) for item in coach.goal_streaks]
    if coach.habits:
        extra.append(habit_line(coach.habits))
    text = streak_text(
        report, turn.today, turn.now, turn.timezone, freeze=coach.freeze, extra=extra
    )
    await turn.reply(text)

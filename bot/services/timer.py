"""The practice timer's use cases: start, pause, resume, stop (saving like /log does), discard,
the reflection's next focus, and the forgotten-timer guard. Each entry point commits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.domain.errors import DomainError
from bot.domain.reminders import is_paused
from bot.domain.skills import SkillSummary
from bot.domain.timer import (
    MAX_TIMER,
    TimerClock,
    clean_next_focus,
    minutes_to_save,
    next_refresh,
    start_date,
    stop_time,
    timer_description,
)
from bot.domain.timezones import local_today
from bot.services.log_session import LoggedSession, log_session
from bot.services.practice import DayIsFull, SessionDraft, active_skill
from storage.models import Timer
from storage.repositories.timers import GuardCandidate, TimerRow
from storage.uow import UnitOfWork

GUARD_BATCH = 500


@dataclass(frozen=True, slots=True)
class TimerView:
    """What the live message shows: the timer's stored state and its skill."""

    timer_id: int
    skill_id: int
    skill_name: str
    intention: str | None
    clock: TimerClock
    message_id: int | None
    last_seen_at: datetime
    chat_id: int = 0
    user_id: int = 0

    @property
    def paused(self) -> bool:
        """Whether the timer is paused now."""
        return self.clock.paused_at is not None


@dataclass(frozen=True, slots=True)
class Started:
    """A new timer, and the skill's next focus from last time (if any)."""

    view: TimerView
    next_focus: str | None


@dataclass(frozen=True, slots=True)
class Stopped:
    """What stopping saved: the session (None if the day had no room), and how it was measured.

    measured is the timer's own minutes; logged.saved.log.duration_minutes may be less when
    the 24-hour rules capped it.
    """

    logged: LoggedSession | None
    skill_id: int
    skill_name: str
    measured: int
    capped: bool
    evidence: int
    practiced_on: date


def _view(timer: Timer | TimerRow, skill_name: str) -> TimerView:
    return TimerView(
        timer_id=timer.id,
        skill_id=timer.skill_id,
        skill_name=skill_name,
        intention=timer.intention,
        clock=TimerClock(timer.started_at, timer.paused_at, timer.paused_seconds),
        message_id=timer.message_id,
        last_seen_at=timer.last_seen_at,
        chat_id=timer.chat_id,
        user_id=timer.user_id,
    )


async def timer_skills(uow: UnitOfWork, user_id: int) -> list[SkillSummary]:
    """The user's active skills, most practised first (the /timer picker's order)."""
    summaries = await uow.skills.summaries(user_id, include_archived=False)
    return sorted(summaries, key=lambda s: (-s.total_minutes, -s.sessions))


async def running_timer(uow: UnitOfWork, user_id: int) -> TimerView | None:
    """The user's running or paused timer, or None."""
    timer = await uow.timers.running(user_id)
    if timer is None:
        return None
    skill = await uow.skills.get(user_id, timer.skill_id)
    return _view(timer, skill.name if skill else "?")


async def start_timer(
    uow: UnitOfWork,
    user_id: int,
    chat_id: int,
    skill_id: int,
    intention: str | None,
    now: datetime,
) -> Started | TimerView:
    """Start a timer for an active skill, or return the one already running; commits."""
    skill = await active_skill(uow, user_id, skill_id)
    timer_id = await uow.timers.start(
        user_id,
        skill_id=skill.id,
        chat_id=chat_id,
        intention=intention,
        now=now,
        refresh_at=next_refresh(now, now),
    )
    if timer_id is None:
        current = await running_timer(uow, user_id)
        if current is None:  # stopped between the insert and the read: try once more
            return await start_timer(uow, user_id, chat_id, skill_id, intention, now)
        return current
    await uow.commit()
    view = TimerView(timer_id, skill.id, skill.name, intention, TimerClock(now, None, 0), None, now)
    return Started(view, skill.next_focus)


async def shown_in(uow: UnitOfWork, user_id: int, timer_id: int, message_id: int) -> None:
    """Record the message now showing the timer (older ones stop being refreshed); commits."""
    await uow.timers.set_message(user_id, timer_id, message_id)
    await uow.commit()


async def _own(uow: UnitOfWork, user_id: int, timer_id: int) -> Timer | None:
    timer = await uow.timers.running(user_id)
    return timer if timer is not None and timer.id == timer_id else None


async def pause_timer(
    uow: UnitOfWork, user_id: int, timer_id: int, now: datetime
) -> TimerView | None:
    """Pause the user's timer (a second pause changes nothing); None if it is gone. Commits."""

    def pause(timer: Timer) -> None:
        if timer.paused_at is None:
            timer.paused_at = now
            # A paused display does not change: no refreshes until it resumes.
            timer.refresh_at = now + MAX_TIMER

    return await _touch(uow, user_id, timer_id, now, pause)


async def resume_timer(
    uow: UnitOfWork, user_id: int, timer_id: int, now: datetime
) -> TimerView | None:
    """Resume a paused timer, adding the pause to paused time; None if it is gone. Commits."""

    def resume(timer: Timer) -> None:
        if timer.paused_at is not None:
            clock = TimerClock(timer.started_at, timer.paused_at, timer.paused_seconds)
            timer.paused_seconds = clock.resumed_pause_seconds(now)
            timer.paused_at = None
            timer.refresh_at = next_refresh(timer.started_at, now)

    return await _touch(uow, user_id, timer_id, now, resume)


async def keep_going(
    uow: UnitOfWork, user_id: int, timer_id: int, now: datetime
) -> TimerView | None:
    """The user is still there: the guard starts counting again. None if it is gone. Commits."""
    return await _touch(uow, user_id, timer_id, now)


async def _touch(
    uow: UnitOfWork,
    user_id: int,
    timer_id: int,
    now: datetime,
    change: Callable[[Timer], None] | None = None,
) -> TimerView | None:
    """Change the user's timer and mark them seen, then commit; None if the timer is gone."""
    timer = await _own(uow, user_id, timer_id)
    if timer is None:
        return None
    if change is not None:
        change(timer)
    _seen(timer, now)
    return await _committed(uow, user_id, timer)


def _seen(timer: Timer, now: datetime) -> None:
    timer.last_seen_at = max(timer.last_seen_at, now)
    timer.guard_asked_at = None


async def _committed(uow: UnitOfWork, user_id: int, timer: Timer) -> TimerView:
    await uow.session.flush()
    skill = await uow.skills.get(user_id, timer.skill_id)
    view = _view(timer, skill.name if skill else "?")
    await uow.commit()
    return view


async def stop_timer(
    uow: UnitOfWork,
    user_id: int,
    timezone: str,
    timer_id: int,
    now: datetime,
    *,
    stop_at: datetime | None = None,
) -> Stopped | None:
    """Stop the timer and save it through the one save path; None if already stopped. Commits.

    The timer row is deleted in the same transaction as the session is saved, so of two
    instances pressing Stop at once only one gets the row and saves; the other sees None.
    """
    row = await uow.timers.claim_stop(user_id, timer_id)
    if row is None:
        return None
    return await _save(uow, row, timezone, now, stop_at or now)


async def _save(
    uow: UnitOfWork, row: TimerRow, timezone: str, now: datetime, stop_at: datetime
) -> Stopped:
    clock = TimerClock(row.started_at, row.paused_at, row.paused_seconds)
    stop_at = min(stop_at, now, row.started_at + MAX_TIMER)
    measured = minutes_to_save(clock.elapsed_until(stop_at))
    skill = await active_skill(uow, row.user_id, row.skill_id)
    today = local_today(timezone, now)
    draft = SessionDraft(
        skill_id=row.skill_id,
        practiced_on=start_date(row.started_at, timezone),
        duration_minutes=measured,
        description=timer_description(row.intention),
        source="timer",
        # The id alone would do on PostgreSQL; the start time guards against any reuse.
        client_token=f"timer:{row.id}:{row.started_at.timestamp():.6f}",
    )
    capped = False
    try:
        logged: LoggedSession | None = await log_session(uow, row.user_id, today, draft)
    except DayIsFull as exc:
        # Past midnight or after other sessions: the start date keeps to 24 hours.
        capped = True
        if exc.left > 0:
            draft = replace(draft, duration_minutes=exc.left)
            logged = await log_session(uow, row.user_id, today, draft)
        else:
            logged = None
            await uow.commit()
    evidence = 0
    if logged is not None:
        evidence = await uow.timers.attach_evidence(
            row.user_id, row.skill_id, logged.saved.log.id, row.started_at, now
        )
        await uow.commit()
    return Stopped(logged, row.skill_id, skill.name, measured, capped, evidence, draft.practiced_on)


async def discard_timer(uow: UnitOfWork, user_id: int, timer_id: int) -> TimerView | None:
    """Throw the timer away without saving; None if it was already gone. Commits."""
    row = await uow.timers.claim_stop(user_id, timer_id)
    if row is None:
        return None
    skill = await uow.skills.get(user_id, row.skill_id)
    await uow.commit()
    return _view(row, skill.name if skill else "?")


async def save_next_focus(uow: UnitOfWork, user_id: int, skill_id: int, text: str) -> str:
    """Store what the user will work on next for the skill; returns the skill's name. Commits."""
    focus = clean_next_focus(text)
    skill = await uow.skills.get(user_id, skill_id)
    if skill is None:
        raise DomainError("That skill is gone, so there's nowhere to keep it.")
    skill.next_focus = focus
    name = skill.name
    await uow.commit()
    return name


async def next_focus(uow: UnitOfWork, user_id: int, skill_id: int) -> str | None:
    """The skill's saved next focus, if any."""
    skill = await uow.skills.get(user_id, skill_id)
    return skill.next_focus if skill else None


async def due_refreshes(
    uow: UnitOfWork,
    now: datetime,
    *,
    fast_since: datetime,
    fast_next: datetime,
    slow_next: datetime,
    limit: int,
) -> list[TimerView]:
    """Claim up to `limit` live messages due for a refresh (each claimed once); commits."""
    claimed = await uow.timers.claim_refreshes(
        now, fast_since=fast_since, fast_next=fast_next, slow_next=slow_next, limit=limit
    )
    await uow.commit()
    return [_view(row, name) for row, name in claimed]


async def give_back_refreshes(uow: UnitOfWork, timer_ids: list[int], now: datetime) -> None:
    """Leave shed refreshes due again for the next run; commits."""
    await uow.timers.release_refreshes(timer_ids, now)
    await uow.commit()


async def next_focuses(uow: UnitOfWork, user_id: int) -> list[tuple[str, str]]:
    """(skill name, next focus) for each active skill that has one (the weekly summary)."""
    return await uow.timers.next_focuses(user_id)


async def still_live(uow: UnitOfWork, claimed: list[TimerView]) -> list[TimerView]:
    """The claimed timers as they are now, if still running (not paused) in the same message."""
    rows = {row.id: row for row in await uow.timers.by_ids([v.timer_id for v in claimed])}
    fresh = []
    for view in claimed:
        row = rows.get(view.timer_id)
        if row is not None and row.message_id == view.message_id and row.paused_at is None:
            fresh.append(_view(row, view.skill_name))
    return fresh


# --- the forgotten-timer guard (run by the reminder sweep) ---


@dataclass(frozen=True, slots=True)
class GuardTimes:
    """The guard's thresholds at one moment."""

    now: datetime
    idle: timedelta
    answer: timedelta

    @property
    def idle_before(self) -> datetime:
        """Unseen since before this: ask whether they are still practising."""
        return self.now - self.idle

    @property
    def answer_before(self) -> datetime:
        """Asked before this and no answer: stop."""
        return self.now - self.answer

    @property
    def silent_before(self) -> datetime:
        """Unseen since before this, asked or not (e.g. on vacation): stop."""
        return self.now - self.idle - self.answer

    @property
    def day_before(self) -> datetime:
        """Started before this: a day has passed, stop."""
        return self.now - MAX_TIMER


async def claim_guard_questions(
    uow: UnitOfWork, times: GuardTimes, limit: int = GUARD_BATCH
) -> list[GuardCandidate]:
    """Claim the idle timers to ask about (each exactly once) and commit."""
    not_paused_after = times.now.date() - timedelta(days=1)
    asked = await uow.timers.claim_guard_questions(
        times.now, idle_before=times.idle_before, not_paused_after=not_paused_after, limit=limit
    )
    await uow.commit()
    return asked


def still_askable(candidate: GuardCandidate, now: datetime) -> bool:
    """Whether the question may go out: not while the user's reminders are paused."""
    return not is_paused(candidate.paused_until, local_today(candidate.timezone, now))


async def forgotten_timers(
    uow: UnitOfWork, times: GuardTimes, limit: int = GUARD_BATCH
) -> list[GuardCandidate]:
    """Timers the guard should stop now (claim each with stop_forgotten)."""
    return await uow.timers.forgotten(
        answer_before=times.answer_before,
        idle_before=times.silent_before,
        day_before=times.day_before,
        limit=limit,
    )


async def stop_forgotten(
    uow: UnitOfWork, candidate: GuardCandidate, times: GuardTimes
) -> Stopped | None:
    """Stop a forgotten timer at the last time the user was there; None if claimed elsewhere."""
    row = await uow.timers.claim_forgotten(
        candidate.timer.id,
        answer_before=times.answer_before,
        idle_before=times.silent_before,
        day_before=times.day_before,
    )
    if row is None:
        return None
    stop_at = stop_time(row.last_seen_at, row.started_at)
    return await _save(uow, row, candidate.timezone, times.now, stop_at)

"""The set-based SQL selection picks exactly the users bot.domain.reminders.is_due says are due."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete

from bot.core.runtime import BotApp
from bot.domain.reminders import (
    INACTIVITY_DAY_CHOICES,
    WEEKLY_ACTIVITY_DAYS,
    ReminderFacts,
    ReminderKind,
    ReminderPrefs,
    is_due,
    local_clock,
)
from bot.domain.streaks import compute_streak
from bot.jobs.reminders import KINDS, LEASE, claim_batches
from storage.models import PracticeLog, SendLedger, User
from tests.reminders.helpers import add_sessions, add_user, deps_of
from tests.support import FakeClock, UnitOfWorkFactory

ZONES = (
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Honolulu",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kathmandu",
    "UTC",
)
INSTANTS = (
    datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
    datetime(2026, 11, 29, 18, 45, tzinfo=UTC),
    datetime(2026, 3, 8, 22, 0, tzinfo=UTC),  # New York's spring-forward day
)


async def _random_users(
    uow_factory: UnitOfWorkFactory, rng: random.Random, first_day: date
) -> dict[int, tuple[str, ReminderPrefs, list[date], date]]:
    users = {}
    async with uow_factory() as uow:
        await uow.session.execute(delete(User))
        for user_id in range(1, 61):
            zone = rng.choice(ZONES)
            paused = first_day + timedelta(days=rng.randrange(20)) if rng.random() < 0.2 else None
            prefs = ReminderPrefs(
                inactivity_enabled=rng.random() < 0.8,
                inactivity_days=rng.choice(INACTIVITY_DAY_CHOICES),
                inactivity_minute=rng.randrange(0, 1440, 15),
                weekly_enabled=rng.random() < 0.8,
                weekly_weekday=rng.randrange(7),
                weekly_minute=rng.randrange(0, 1440, 15),
                streak_enabled=rng.random() < 0.8,
                streak_minute=rng.randrange(0, 1440, 15),
                paused_until=paused,
            )
            joined = datetime.combine(first_day - timedelta(days=rng.randrange(8)), time(), UTC)
            scattered = {
                first_day + timedelta(days=rng.randrange(24)) for _ in range(rng.randrange(6))
            }
            run_end = first_day + timedelta(days=rng.randrange(19, 23))  # around yesterday
            run = {run_end - timedelta(days=i) for i in range(rng.randrange(5))}
            days = sorted(scattered | run)
            uow.session.add(
                User(id=user_id, chat_id=user_id, timezone=zone, created_at=joined, **asdict(prefs))
            )
            await uow.session.flush()
            skill = await uow.skills.add(user_id, "Guitar", "guitar")
            for day in days:
                uow.session.add(
                    PracticeLog(
                        user_id=user_id,
                        skill_id=skill.id,
                        practiced_on=day,
                        duration_minutes=20,
                        description="Scales and arpeggios",
                    )
                )
            users[user_id] = (zone, prefs, days, joined.date())
        await uow.commit()
    return users


def _expected(
    users: dict[int, tuple[str, ReminderPrefs, list[date], date]], now: datetime
) -> set[tuple[int, str]]:
    due: set[tuple[int, str]] = set()
    for user_id, (zone, prefs, days, joined) in users.items():
        clock = local_clock(zone, now)
        past = [d for d in days if d <= clock.today]
        for kind in KINDS:
            rival = kind.rival
            facts = ReminderFacts(
                last_practiced=max(days, default=None),
                practised_today=clock.today in days,
                streak=compute_streak(past, clock.today),
                practised_recently=any(
                    0 <= (clock.today - d).days < WEEKLY_ACTIVITY_DAYS for d in days
                ),
                joined=joined,
                rival_claimed=rival is not None and (user_id, rival.value) in due,
            )
            if is_due(kind, prefs, clock, facts):
                due.add((user_id, kind.value))
    return due


async def test_sql_selection_matches_the_domain_rules(uow_factory: UnitOfWorkFactory) -> None:
    rng = random.Random(7)
    seen: set[str] = set()
    for now in INSTANTS:
        first_day = (now - timedelta(days=22)).date()
        users = await _random_users(uow_factory, rng, first_day)
        async with uow_factory() as uow:
            clocks = [local_clock(zone, now) for zone in await uow.reminders.timezones()]
            selected: set[tuple[int, str]] = set()
            for kind in KINDS:
                rival = kind.rival
                claims, _, _ = await uow.reminders.claim_due(
                    kind.value,
                    clocks,
                    now,
                    rival=rival.value if rival else None,
                    active_days=WEEKLY_ACTIVITY_DAYS,
                    lease=LEASE,
                    limit=1000,
                )
                selected |= {(c.user_id, c.kind) for c in claims}
        expected = _expected(users, now)
        assert selected == expected, now
        seen |= {kind for _, kind in expected}
    assert seen == {kind.value for kind in ReminderKind}  # every rule was exercised


async def test_claims_walk_forward_in_batches_and_each_user_is_claimed_once(
    app: BotApp, clock: FakeClock, uow_factory: UnitOfWorkFactory
) -> None:
    for user_id in range(1, 11):
        await add_user(uow_factory, user_id, weekly_enabled=False, inactivity_enabled=False)
        await add_sessions(uow_factory, user_id, [date(2026, 11, 23), date(2026, 11, 24)])
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    batches = [
        [c.user_id for c in claims]
        async for claims in claim_batches(deps_of(app), ReminderKind.STREAK, batch=4)
    ]
    assert batches == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    again = [c async for c in claim_batches(deps_of(app), ReminderKind.STREAK, batch=4)]
    assert again == []
    # Slices of 3 users: one statement each, still each user exactly once.
    async with uow_factory() as uow:
        await uow.session.execute(delete(SendLedger))
        await uow.commit()
    sliced = [
        [c.user_id for c in claims]
        async for claims in claim_batches(deps_of(app), ReminderKind.STREAK, batch=5, span=3)
    ]
    assert sliced == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]

"""Put users, skills, sessions and evidence in the test database, and read rows back.

Every test that writes rows directly (not through the bot) seeds them with a function from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, update

from bot.domain.evidence import validate_evidence
from bot.services.practice import SessionDraft, save_practice_log
from storage.models import (
    Base,
    Conversation,
    Evidence,
    PracticeLog,
    SendLedger,
    Skill,
    Timer,
    UndoSnapshot,
    User,
)
from tests.chat import ChatUser
from tests.support import SARAH, START, TODAY, UnitOfWorkFactory

# --- Sarah registered directly, skills and sessions through the save path -------------------------


async def seed_skills(
    uow_factory: UnitOfWorkFactory, *names: str, user_id: int = SARAH
) -> dict[str, int]:
    """Register the user (as "Sarah", UTC) and add skills directly; returns name -> id."""
    async with uow_factory() as uow:
        await uow.users.ensure(user_id, user_id, "Sarah", "UTC")
        ids = {}
        for name in names:
            ids[name] = (await uow.skills.add(user_id, name, name.casefold())).id
        await uow.commit()
        return ids


async def seed_log(
    uow_factory: UnitOfWorkFactory, skill_id: int, minutes: int, day: date = TODAY
) -> int:
    """One of Sarah's sessions, saved through the one save path (bot.services.practice)."""
    async with uow_factory() as uow:
        saved = await save_practice_log(
            uow, SARAH, TODAY, SessionDraft(skill_id, day, minutes, "Seeded practice session")
        )
        await uow.commit()
        return saved.log.id


# --- Through the bot: skills added the way the user adds them -------------------------------------


async def add_skill(user: ChatUser, uow_factory: UnitOfWorkFactory, name: str) -> int:
    """Add one skill the way the user does (/addskill) and return its id."""
    await user.send(f"/addskill {name}")
    async with uow_factory() as uow:
        skill = await uow.skills.by_name_key(user.user_id, name.casefold())
        assert skill is not None
        return skill.id


async def add_skills(user: ChatUser, uow_factory: UnitOfWorkFactory, *names: str) -> dict[str, int]:
    """Add skills the way the user does (/addskill) and return their ids by name."""
    for name in names:
        await user.send(f"/addskill {name}")
    async with uow_factory() as uow:
        return {s.name: s.skill_id for s in await uow.analytics.skills(user.user_id)}


# --- Sessions and evidence stored directly --------------------------------------------------------


async def seed_session(
    uow_factory: UnitOfWorkFactory,
    skill_id: int,
    *,
    day: date = TODAY,
    minutes: int = 45,
    description: str = "Built a todo app with hooks",
    user_id: int = SARAH,
) -> int:
    """One practice session stored directly (Sarah's, today, 45 minutes unless told)."""
    async with uow_factory() as uow:
        log = PracticeLog(
            user_id=user_id,
            skill_id=skill_id,
            practiced_on=day,
            duration_minutes=minutes,
            description=description,
        )
        uow.session.add(log)
        await uow.commit()
        return log.id


async def seed_sessions(
    uow_factory: UnitOfWorkFactory, user_id: int, sessions: Iterable[tuple[int, date, int]]
) -> None:
    """Store practice sessions (skill id, local date, minutes) directly."""
    async with uow_factory() as uow:
        for skill_id, day, minutes in sessions:
            uow.session.add(
                PracticeLog(
                    user_id=user_id,
                    skill_id=skill_id,
                    practiced_on=day,
                    duration_minutes=minutes,
                    description="Practised scales and pieces",
                )
            )
        await uow.commit()


async def seed_evidence(
    uow_factory: UnitOfWorkFactory,
    skill_id: int,
    log_id: int | None,
    kind: str,
    *,
    minute: int,
    **content: Any,
) -> int:
    """One piece of Sarah's evidence, created `minute` minutes after START."""
    async with uow_factory() as uow:
        row = Evidence(
            user_id=SARAH,
            skill_id=skill_id,
            practice_log_id=log_id,
            kind=kind,
            created_at=START + timedelta(minutes=minute),
            **content,
        )
        uow.session.add(row)
        await uow.commit()
        return row.id


# --- Whole scenarios ------------------------------------------------------------------------------


async def seed_react_evidence(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    """Sarah's React with two sessions and four pieces of evidence, and a note on Guitar."""
    react = await add_skill(sarah, uow_factory, "React")
    guitar = await add_skill(sarah, uow_factory, "Guitar")
    later = await seed_session(
        uow_factory, react, day=date(2026, 11, 23), description="Memo and hooks"
    )
    earlier = await seed_session(
        uow_factory, react, day=date(2026, 11, 20), minutes=30, description="Set up Vite & <App>"
    )
    ids = {
        "react": react,
        "later": later,
        "earlier": earlier,
        # added in an order different from the sessions' order
        "later_link": await seed_evidence(
            uow_factory, react, later, "link", minute=1, url="https://react.dev/?a=1&b=2"
        ),
        "skill_note": await seed_evidence(
            uow_factory, react, None, "note", minute=2, note="Docs <first> & foremost"
        ),
        "earlier_shot": await seed_evidence(
            uow_factory,
            react,
            earlier,
            "screenshot",
            minute=3,
            file_name="photo_uq1.jpg",
            file_id="photo-file-1",
            file_unique_id="uq1",
            mime_type="image/jpeg",
            width=1280,
            height=960,
            file_size=150_000,
            storage="telegram",
        ),
        "later_doc": await seed_evidence(
            uow_factory,
            react,
            later,
            "screenshot",
            minute=4,
            file_name="tree.png",
            file_id="doc-file-2",
            file_unique_id="udoc2",
            mime_type="image/png",
            file_size=2_000_000,
            storage="telegram",
        ),
    }
    await seed_evidence(uow_factory, guitar, None, "note", minute=5, note="Guitar only")
    return ids


async def seed_stats_history(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    """Sarah's Guitar and Spanish sessions for /stats: this week, last week, October, 2025."""
    mon, wed = date(2026, 11, 23), date(2026, 11, 25)  # the test clock: Wednesday 25 Nov
    ids = await add_skills(sarah, uow_factory, "Guitar", "Spanish")
    guitar, spanish = ids["Guitar"], ids["Spanish"]
    sessions = [
        # This week (Mon 23 - Wed 25): 95 min, 3 sessions, 2 days.
        (guitar, mon, 30),
        (guitar, wed, 45),
        (spanish, wed, 20),
        # Last week (Mon 16 - Sun 22): Mon and Tue by "this point", then Saturday.
        (guitar, date(2026, 11, 16), 60),
        (spanish, date(2026, 11, 17), 30),
        (guitar, date(2026, 11, 21), 90),
        # October: Saturdays, so Saturday is the favourite weekday.
        *((guitar, date(2026, 10, d), 120) for d in (3, 10, 17, 24, 31)),
        # Long ago, outside every window but "all time".
        (spanish, date(2025, 3, 1), 15),
    ]
    await seed_sessions(uow_factory, 1001, sessions)
    return ids


# --- Repository tests: rows inserted below the bot, users by id -----------------------------------


async def seed_react_and_chess(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """Sarah (1001) with React, Mallory (2002) with Chess; returns their skill ids."""
    async with uow_factory() as uow:
        for user_id in (1001, 2002):
            uow.session.add(User(id=user_id, chat_id=user_id, first_name="x", timezone="UTC"))
        await uow.session.flush()
        react = await uow.skills.add(1001, "React", "react")
        chess = await uow.skills.add(2002, "Chess", "chess")
        await uow.commit()
        return react.id, chess.id


async def seed_session_with_link(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    """Sarah (1) with React, one session and a link on it; Mallory (2) with a skill of her own."""
    async with uow_factory() as uow:
        uow.session.add_all(
            [
                User(id=1, chat_id=1, timezone="UTC"),
                User(id=2, chat_id=2, timezone="UTC"),
            ]
        )
        await uow.session.flush()
        skill = await uow.skills.add(1, "React", "react")
        await uow.skills.add(2, "Lockpicking", "lockpicking")
        log = PracticeLog(
            user_id=1,
            skill_id=skill.id,
            practiced_on=date(2026, 11, 20),
            duration_minutes=45,
            description="Built a todo component",
        )
        uow.session.add(log)
        await uow.session.flush()
        link = validate_evidence(
            "link", practice_log_id=log.id, skill_id=skill.id, url="https://github.com/sarah/todo"
        )
        evidence = await uow.evidence.add(1, link, skill_id=skill.id, created_at=START)
        await uow.commit()
        return skill.id, log.id, evidence.id


async def seed_session_with_link_and_note(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """Sarah (1) with React and one session carrying evidence; Mallory (2) with nothing."""
    async with uow_factory() as uow:
        uow.session.add_all(
            [User(id=1, chat_id=1, timezone="UTC"), User(id=2, chat_id=2, timezone="UTC")]
        )
        await uow.session.flush()
        skill = await uow.skills.add(1, "React", "react")
        log = PracticeLog(
            user_id=1,
            skill_id=skill.id,
            practiced_on=date(2026, 11, 20),
            duration_minutes=45,
            description="Built a todo component",
        )
        uow.session.add(log)
        await uow.session.flush()
        uow.session.add_all(
            [
                Evidence(
                    user_id=1,
                    practice_log_id=log.id,
                    skill_id=skill.id,
                    kind="link",
                    url="https://github.com/sarah/todo",
                ),
                Evidence(user_id=1, skill_id=skill.id, kind="note", note="Hooks cheat sheet"),
            ]
        )
        await uow.commit()
        return skill.id, log.id


async def seed_interleaved_history(
    uow_factory: UnitOfWorkFactory, sessions: int, *, first_name: str | None = None
) -> tuple[int, int, list[int]]:
    """Sarah (1001): React and SQL, `sessions` sessions, 3 a day back from 20 Nov (every third on
    SQL); Mallory (2002) has a Chess session after each of Sarah's. Returns React's and SQL's ids
    and Sarah's session ids in the order they were added."""
    async with uow_factory() as uow:
        for user_id in (1001, 2002):
            uow.session.add(
                User(id=user_id, chat_id=user_id, first_name=first_name, timezone="UTC")
            )
        await uow.session.flush()
        react = (await uow.skills.add(1001, "React", "react")).id
        sql = (await uow.skills.add(1001, "SQL", "sql")).id
        chess = (await uow.skills.add(2002, "Chess", "chess")).id
        ids = []
        for n in range(sessions):
            for user_id, skill_id in ((1001, react if n % 3 else sql), (2002, chess)):
                row = PracticeLog(
                    user_id=user_id,
                    skill_id=skill_id,
                    practiced_on=date(2026, 11, 20) - timedelta(days=n // 3),
                    duration_minutes=10 + n,
                    description=f"Session number {n}",
                )
                uow.session.add(row)
                await uow.session.flush()
                if user_id == 1001:
                    ids.append(row.id)
        await uow.commit()
        return react, sql, ids


async def seed_crowd(uow_factory: UnitOfWorkFactory, light: int, heavy: int) -> None:
    """`light` users with 2 sessions each, and Sarah (1001) with `heavy` sessions on 10 skills."""
    async with uow_factory() as uow:
        users = [1001, *range(10_000, 10_000 + light)]
        await uow.session.execute(
            insert(User), [{"id": u, "chat_id": u, "timezone": "UTC"} for u in users]
        )
        skills = [(1001, f"Skill {n}") for n in range(10)] + [(u, "Chess") for u in users[1:]]
        rows = await uow.session.execute(
            insert(Skill).returning(Skill.id, Skill.user_id),
            [{"user_id": u, "name": name, "name_key": name.casefold()} for u, name in skills],
        )
        by_user: dict[int, list[int]] = {}
        for skill_id, user_id in rows.all():
            by_user.setdefault(user_id, []).append(skill_id)
        sessions = [(1001, by_user[1001][n % 10], n // 10) for n in range(heavy)]
        sessions += [(u, by_user[u][0], n) for u in users[1:] for n in range(2)]
        await uow.session.execute(
            insert(PracticeLog),
            [
                {
                    "user_id": u,
                    "skill_id": s,
                    "practiced_on": date(2026, 11, 20) - timedelta(days=back),
                    "duration_minutes": 30,
                    "description": "A session in the crowd",
                }
                for u, s, back in sessions
            ],
        )
        await uow.commit()


# --- One user's data in every table ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeededAccount:
    """Ids of what was seeded, and strings that appear nowhere but in this user's data."""

    user_id: int
    skill: int
    archived_skill: int
    log: int
    evidence: int
    screenshot: int
    skill_evidence: int
    secrets: tuple[str, ...]
    # The Quick Log keyboard nonce that made the first session (its client_token).
    nonce: str = "sN0nce42"
    # History (#4): the id of the seeded undo snapshot, for ↩️ Undo probes.
    undo: int = 0
    # The running practice timer, for its buttons' probes.
    timer: int = 0

    def ids(self) -> dict[str, int | str]:
        """Placeholders for templates such as 'sk:o:{skill}:0'."""
        return {
            "user": self.user_id,
            "skill": self.skill,
            "archived_skill": self.archived_skill,
            "log": self.log,
            "evidence": self.evidence,
            "screenshot": self.screenshot,
            "skill_evidence": self.skill_evidence,
            "nonce": self.nonce,
            "undo": self.undo,  # history (#4)
            "timer": self.timer,
        }


async def seed_account(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    tag: str,
    *,
    first_name: str | None = None,
    timezone: str = "Europe/Berlin",
    now: datetime = START,
    conversation: bool = True,
) -> SeededAccount:
    """A user with two skills (one archived), sessions, evidence and an open conversation."""
    secrets = (
        f"Oboe-{tag}-7731",
        f"Lute-{tag}-4410",
        f"Reed-making drills by {tag} #5521",
        f"https://{tag.lower()}.example/portfolio-9034",
        f"Private reflection of {tag} #6612",
        f"score-{tag}-2207.png",
    )
    skill_name, archived_name, description, url, note, file_name = secrets
    async with uow_factory() as uow:
        await uow.users.ensure(user_id, user_id, first_name or tag, timezone)
        await uow.users.set_timezone(user_id, timezone)
        skill = await uow.skills.add(user_id, skill_name, skill_name.casefold())
        archived = await uow.skills.add(user_id, archived_name, archived_name.casefold())
        archived.archived_at = now - timedelta(days=3)
        logs = [
            PracticeLog(
                user_id=user_id,
                skill_id=skill.id,
                practiced_on=date(2026, 11, 20) - timedelta(days=n),
                duration_minutes=30 + n,
                description=f"{description} day {n}",
            )
            for n in range(3)
        ]
        # The first one was saved by a Quick Log tap (see bot/ui/quick_log.py's client_token).
        logs[0].source = "quick"
        logs[0].client_token = f"ql.{SeededAccount.nonce}.{skill.id}.30"
        uow.session.add_all(logs)
        await uow.session.flush()
        link = Evidence(
            user_id=user_id, practice_log_id=logs[0].id, skill_id=skill.id, kind="link", url=url
        )
        shot = Evidence(
            user_id=user_id,
            practice_log_id=logs[1].id,
            skill_id=skill.id,
            kind="screenshot",
            file_name=file_name,
            file_size=123_456,
            mime_type="image/png",
            width=800,
            height=600,
            storage="telegram",
            file_id=f"photo-file-{user_id}",
            file_unique_id=f"photo-unique-{user_id}",
            uploaded_at=now,
        )
        skill_note = Evidence(user_id=user_id, skill_id=skill.id, kind="note", note=note)
        uow.session.add_all([link, shot, skill_note])
        if conversation:
            # Half-way through renaming the skill.
            uow.session.add(
                Conversation(
                    user_id=user_id,
                    chat_id=user_id,
                    name="skill_name",
                    state="rename",
                    data={"skill_id": skill.id},
                    expires_at=now + timedelta(days=1),
                )
            )
        undo = UndoSnapshot(
            user_id=user_id,
            kind="practice_log",
            payload={"description": description},
            expires_at=now + timedelta(minutes=5),
        )
        timer = Timer(
            user_id=user_id,
            skill_id=skill.id,
            chat_id=user_id,
            started_at=now - timedelta(minutes=20),
            last_seen_at=now - timedelta(minutes=20),
            refresh_at=now,
        )
        uow.session.add_all(
            [
                SendLedger(user_id=user_id, kind="weekly", period_key="2026-W47", status="sent"),
                undo,
                timer,
            ]
        )
        await uow.session.flush()
        await uow.commit()
        return SeededAccount(
            user_id=user_id,
            skill=skill.id,
            archived_skill=archived.id,
            log=logs[0].id,
            evidence=link.id,
            screenshot=shot.id,
            skill_evidence=skill_note.id,
            secrets=secrets,
            undo=undo.id,
            timer=timer.id,
        )


# --- Reading rows back -------------------------------------------------------------------------


async def logs(uow_factory: UnitOfWorkFactory, user_id: int = SARAH) -> list[PracticeLog]:
    """The user's sessions in id order, detached (readable after the unit of work ends)."""
    async with uow_factory() as uow:
        rows = list(
            await uow.session.scalars(
                select(PracticeLog).where(PracticeLog.user_id == user_id).order_by(PracticeLog.id)
            )
        )
        uow.session.expunge_all()  # keep them readable after the unit of work rolls back
        return rows


async def count_logs(uow_factory: UnitOfWorkFactory) -> int:
    """How many sessions there are, of all users."""
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(PracticeLog)) or 0)


def _owner_column(table: Table) -> Any:
    if table.name == "users":
        return table.c.id
    if "user_id" not in table.c:
        raise AssertionError(f"table {table.name} has no user_id: say here how rows map to users")
    return table.c.user_id


async def owned_rows(
    uow_factory: UnitOfWorkFactory, user_id: int
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the user, in primary-key order."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    async with uow_factory() as uow:
        for table in Base.metadata.sorted_tables:
            query = (
                select(table)
                .where(_owner_column(table) == user_id)
                .order_by(*table.primary_key.columns)
            )
            snapshot[table.name] = [tuple(row) for row in (await uow.session.execute(query))]
    return snapshot


async def owned_counts(uow_factory: UnitOfWorkFactory, user_id: int) -> dict[str, int]:
    """How many rows of each table belong to the user."""
    return {name: len(rows) for name, rows in (await owned_rows(uow_factory, user_id)).items()}


# --- An account using every feature (export round trips) ---------------------------------------


async def seed_every_feature(
    uow_factory: UnitOfWorkFactory, user_id: int, timezone: str, today: date
) -> None:
    """Set every column the user owns to a value that is not its default (see the round trip).

    `today` is the user's local date: one session is dated today, which is still "the future"
    in a time zone behind theirs.
    """
    created = datetime(2026, 11, 1, 7, 45, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.users.ensure(user_id, user_id, "Everything", timezone)
        await uow.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                timezone=timezone,
                inactivity_enabled=False,
                inactivity_days=5,
                inactivity_minute=7 * 60 + 5,
                weekly_enabled=False,
                weekly_weekday=2,
                weekly_minute=9 * 60 + 15,
                weekly_goal_minutes=420,
                streak_enabled=False,
                streak_minute=21 * 60 + 30,
                paused_until=today + timedelta(days=30),
                date_order="month_first",
                date_order_chosen=True,
                weekly_goal_sessions=5,
                weekly_goal_days=4,
                daily_goal_minutes=20,
                week_start=6,
            )
        )
        skills = [
            Skill(
                user_id=user_id,
                name="Guitar",
                name_key="guitar",
                weekly_goal_minutes=180,
                weekly_goal_sessions=4,
                weekly_goal_days=3,
                daily_goal_minutes=15,
                next_focus="Barre chords at 70 bpm",
                created_at=created,
            ),
            Skill(
                user_id=user_id,
                name="Ölmalerei",
                name_key="ölmalerei",
                archived_at=created + timedelta(days=10),
                created_at=created + timedelta(hours=1),
            ),
        ]
        uow.session.add_all(skills)
        await uow.session.flush()
        guitar, painting = skills
        logs = [
            PracticeLog(
                user_id=user_id,
                skill_id=guitar.id,
                practiced_on=today,
                duration_minutes=50,
                description="Barre chords at 80 bpm, today where I live",
                difficulty=4,
                confidence=2,
                source="quick",
                client_token=f"ql.{user_id}.{guitar.id}.50",
                created_at=created + timedelta(days=20),
                updated_at=created + timedelta(days=21),
            ),
            PracticeLog(
                user_id=user_id,
                skill_id=painting.id,
                practiced_on=today - timedelta(days=12),
                duration_minutes=95,
                description="Underpainting in burnt umber",
                source="chat",
                created_at=created + timedelta(days=8),
                updated_at=created + timedelta(days=8),
            ),
        ]
        uow.session.add_all(logs)
        await uow.session.flush()
        uploaded = created + timedelta(days=20, minutes=3)
        uow.session.add_all(
            [
                Evidence(
                    user_id=user_id,
                    practice_log_id=logs[0].id,
                    skill_id=guitar.id,
                    kind="link",
                    url="https://example.com/barre-chords",
                    created_at=uploaded,
                ),
                Evidence(
                    user_id=user_id,
                    practice_log_id=logs[1].id,
                    skill_id=painting.id,
                    kind="screenshot",
                    file_name="umber.png",
                    file_size=234_567,
                    mime_type="image/png",
                    width=1280,
                    height=960,
                    storage="telegram",
                    file_id="photo-umber",
                    file_unique_id="uphoto-umber",
                    uploaded_at=uploaded,
                    created_at=uploaded + timedelta(seconds=5),
                ),
                Evidence(
                    user_id=user_id,
                    skill_id=guitar.id,
                    kind="note",
                    note="Keep the thumb behind the neck",
                    source="Guitar Tips (channel)",
                    created_at=uploaded + timedelta(hours=1),
                ),
                Evidence(
                    user_id=user_id,
                    practice_log_id=logs[0].id,
                    skill_id=guitar.id,
                    kind="voice",
                    file_name="voice-2026-12-15.ogg",
                    file_size=48_213,
                    mime_type="audio/ogg",
                    duration_seconds=95,
                    storage="telegram",
                    file_id="voice-barre",
                    file_unique_id="uvoice-barre",
                    uploaded_at=uploaded + timedelta(hours=2),
                    created_at=uploaded + timedelta(hours=2, seconds=1),
                ),
            ]
        )
        await uow.commit()

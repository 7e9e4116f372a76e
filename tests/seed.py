"""Put users, skills, sessions and evidence in the test database, and read rows back.

Every test that writes rows directly (not through the bot) seeds them with a function from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select

from bot.services.practice import SessionDraft, save_practice_log
from storage.models import (
    Base,
    Conversation,
    Evidence,
    PracticeLog,
    SendLedger,
    UndoSnapshot,
)
from tests.support import SARAH, START, TODAY, UnitOfWorkFactory


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
        uow.session.add_all(
            [
                SendLedger(user_id=user_id, kind="weekly", period_key="2026-W47", status="sent"),
                undo,
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
        )


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

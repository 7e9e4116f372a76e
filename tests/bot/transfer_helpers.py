"""Seeding and reading helpers shared by the /export and /import tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update

from bot.domain.skills import skill_name_key
from storage.models import Evidence, PracticeLog, Skill, User
from tests.chat import ChatUser
from tests.fakebot import ApiCall, FakeBotApi, UploadedFile
from tests.support import UnitOfWorkFactory

SessionRow = tuple[str, date, int, str, int | None, int | None]


async def register(uow_factory: UnitOfWorkFactory, user: ChatUser) -> None:
    """Store the user as the bot does on first contact, with the default time zone."""
    async with uow_factory() as uow:
        await uow.users.ensure(user.user_id, user.user_id, str(user.user["first_name"]), "UTC")
        await uow.commit()


async def add_skill(
    uow_factory: UnitOfWorkFactory, user_id: int, name: str, *, archived: bool = False
) -> int:
    """Create a skill directly in the database; returns its id."""
    async with uow_factory() as uow:
        skill = Skill(
            user_id=user_id,
            name=name,
            name_key=skill_name_key(name),
            created_at=datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
            archived_at=datetime(2026, 11, 1, tzinfo=UTC) if archived else None,
        )
        uow.session.add(skill)
        await uow.session.flush()
        await uow.commit()
        return skill.id


async def add_log(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    skill_id: int,
    day: date,
    minutes: int,
    description: str,
    difficulty: int | None = None,
    confidence: int | None = None,
) -> int:
    """Create a session directly in the database; returns its id."""
    async with uow_factory() as uow:
        log = PracticeLog(
            user_id=user_id,
            skill_id=skill_id,
            practiced_on=day,
            duration_minutes=minutes,
            description=description,
            difficulty=difficulty,
            confidence=confidence,
            created_at=datetime.combine(day, datetime.min.time(), UTC).replace(hour=20),
        )
        uow.session.add(log)
        await uow.session.flush()
        await uow.commit()
        return log.id


async def add_evidence(uow_factory: UnitOfWorkFactory, user_id: int, **values: Any) -> None:
    """Create a piece of evidence directly in the database."""
    async with uow_factory() as uow:
        uow.session.add(Evidence(user_id=user_id, **values))
        await uow.commit()


async def set_user(uow_factory: UnitOfWorkFactory, user_id: int, **values: Any) -> None:
    """Change columns of a user row (time zone, reminder settings)."""
    async with uow_factory() as uow:
        await uow.session.execute(update(User).where(User.id == user_id).values(**values))
        await uow.commit()


async def sessions(uow_factory: UnitOfWorkFactory, user_id: int) -> list[SessionRow]:
    """The user's sessions as (skill, date, minutes, description, difficulty, confidence)."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            select(
                Skill.name,
                PracticeLog.practiced_on,
                PracticeLog.duration_minutes,
                PracticeLog.description,
                PracticeLog.difficulty,
                PracticeLog.confidence,
            )
            .join(Skill, Skill.id == PracticeLog.skill_id)
            .where(PracticeLog.user_id == user_id)
            .order_by(PracticeLog.practiced_on, PracticeLog.id)
        )
        return [tuple(row) for row in result.all()]  # type: ignore[misc]


async def count_rows(uow_factory: UnitOfWorkFactory, user_id: int) -> tuple[int, int, int]:
    """How many skills, sessions and pieces of evidence the user has."""
    async with uow_factory() as uow:
        counts = []
        for model in (Skill, PracticeLog, Evidence):
            rows = await uow.session.execute(select(model.id).where(model.user_id == user_id))
            counts.append(len(rows.all()))
        return counts[0], counts[1], counts[2]


def sent_document(api: FakeBotApi, user_id: int) -> tuple[str, bytes, ApiCall]:
    """The newest document the bot sent to the user: file name, bytes and the call."""
    call = api.last("sendDocument", chat_id=user_id)
    upload = call.params["document"]
    assert isinstance(upload, UploadedFile)
    return upload.filename, api.file_bytes(upload.file_id), call


async def export(user: ChatUser, fmt: str) -> tuple[str, bytes]:
    """Run /export and press the format's button; returns the document's name and bytes."""
    await user.send("/export")
    await user.tap("📄 JSON" if fmt == "json" else "📊 CSV")
    name, data, _ = sent_document(user.api, user.user_id)
    return name, data


def comparable(document: bytes) -> dict[str, Any]:
    """A JSON export with ids replaced by what they point at, and the export time dropped."""
    doc = json.loads(document)
    doc.pop("exported_at")
    skill_names = {skill["id"]: skill["name"] for skill in doc["skills"]}
    log_keys = {
        log["id"]: (log["skill"], log["date"], log["description"]) for log in doc["practice_logs"]
    }
    for skill in doc["skills"]:
        skill.pop("id")
    for log in doc["practice_logs"]:
        log.pop("id")
        log["skill_id"] = skill_names[log["skill_id"]]
    for item in doc["evidence"]:
        item.pop("id")
        item["skill_id"] = skill_names.get(item["skill_id"])
        item["practice_log_id"] = log_keys.get(item["practice_log_id"])
    return doc

"""Attaching evidence to a user's own sessions and skills (no Telegram types here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.evidence import EvidenceKind, ScreenshotMeta, validate_evidence
from bot.domain.history import SessionRow
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Pending:
    """Validated evidence content waiting for a place to go (kept in the conversation row)."""

    kind: EvidenceKind
    url: str | None = None
    note: str | None = None  # a note's text, or what the user said about a link or a file
    screenshot: ScreenshotMeta | None = None  # a file's metadata: picture, recording, document
    source: str | None = None  # where a forwarded message came from

    @property
    def key(self) -> tuple[str, str]:
        """What makes two pieces the same: the link, the note text, or the file's unique id."""
        if self.kind is EvidenceKind.LINK:
            return self.kind.value, self.url or ""
        if self.kind is EvidenceKind.NOTE:
            return self.kind.value, self.note or ""
        return self.kind.value, self.screenshot.file_unique_id if self.screenshot else ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict for the conversation's data."""
        data: dict[str, Any] = {"kind": self.kind.value}
        if self.url is not None:
            data["url"] = self.url
        if self.note is not None:
            data["note"] = self.note
        if self.screenshot is not None:
            data["screenshot"] = self.screenshot.model_dump(mode="json")
        if self.source is not None:
            data["source"] = self.source
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Pending:
        """Read back what to_json wrote."""
        shot = data.get("screenshot")
        return cls(
            kind=EvidenceKind(data["kind"]),
            url=data.get("url"),
            note=data.get("note"),
            screenshot=ScreenshotMeta.model_validate(shot) if shot is not None else None,
            source=data.get("source"),
        )


@dataclass(frozen=True, slots=True)
class Target:
    """Where evidence goes: a session (then also its skill) or a skill alone."""

    skill_id: int
    skill_name: str
    session: SessionRow | None = None

    @property
    def practice_log_id(self) -> int | None:
        """The session's id, None for skill-level evidence."""
        return self.session.id if self.session else None


@dataclass(slots=True)
class AttachResult:
    """What attach() saved and what was already there."""

    saved: list[EvidenceKind] = field(default_factory=list)
    already_there: list[EvidenceKind] = field(default_factory=list)


async def session_target(uow: UnitOfWork, user_id: int, log_id: int) -> Target | None:
    """The user's own session as a target, or None (missing or someone else's)."""
    session = await uow.history.row(user_id, log_id)
    if session is None:
        return None
    return Target(skill_id=session.skill_id, skill_name=session.skill_name, session=session)


async def skill_target(uow: UnitOfWork, user_id: int, skill_id: int) -> Target | None:
    """The user's own skill as a target, or None (missing or someone else's)."""
    skill = await uow.skills.get(user_id, skill_id)
    return Target(skill_id=skill.id, skill_name=skill.name) if skill else None


async def attach(
    uow: UnitOfWork, user_id: int, target: Target, items: Sequence[Pending], now: datetime
) -> AttachResult:
    """Save each piece to the (ownership-checked) target, skipping what is there; commits."""
    existing = await uow.evidence.attached_keys(
        user_id,
        practice_log_id=target.practice_log_id,
        skill_id=target.skill_id,
        urls=[i.url for i in items if i.kind is EvidenceKind.LINK and i.url],
        notes=[i.note for i in items if i.kind is EvidenceKind.NOTE and i.note],
        file_unique_ids=[i.screenshot.file_unique_id for i in items if i.screenshot],
    )
    result = AttachResult()
    for item in items:
        if item.key in existing:
            result.already_there.append(item.kind)
            continue
        existing.add(item.key)
        valid = validate_evidence(
            item.kind,
            practice_log_id=target.practice_log_id,
            skill_id=target.skill_id,
            url=item.url,
            note=item.note,
            screenshot=item.screenshot,
            source=item.source,
        )
        await uow.evidence.add(user_id, valid, skill_id=target.skill_id, created_at=now)
        result.saved.append(valid.kind)
    await uow.commit()
    return result


async def delete_evidence(uow: UnitOfWork, user_id: int, evidence_id: int) -> None:
    """Delete one of the user's pieces of evidence and commit (someone else's id: nothing)."""
    await uow.evidence.delete(user_id, evidence_id)
    await uow.commit()

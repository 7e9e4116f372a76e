"""Evidence: links, notes and screenshot metadata attached to a user's sessions or skills.

Convention: every evidence row carries the skill it belongs to in ``skill_id``, also when it is
attached to a session (then ``skill_id`` is the session's skill). "Skill-level" evidence is the
rows with no ``practice_log_id``. A skill's evidence is therefore one indexed lookup on
(user_id, skill_id), and deleting a skill or a session removes its evidence by ON DELETE CASCADE.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain.evidence import EvidenceEntry, EvidenceInput, SkillEvidenceCount
from bot.domain.history import SessionRow
from bot.domain.records import from_attributes
from storage.models import Evidence, PracticeLog, Skill
from storage.repositories.base import Repository, select_sessions_with_skill


def _entry(
    evidence: Evidence, log: PracticeLog | None, skill_id: int, skill_name: str
) -> EvidenceEntry:
    session = _session_row(log, skill_name) if log is not None else None
    return from_attributes(
        EvidenceEntry, evidence, skill_id=skill_id, skill_name=skill_name, session=session
    )


def _session_row(log: PracticeLog, skill_name: str) -> SessionRow:
    return from_attributes(SessionRow, log, skill_name=skill_name, evidence=0)


def _of_session(user_id: int, log_id: int) -> list[ColumnElement[bool]]:
    """Rows of one session of the user, found through ix_evidence_practice_log_id.

    `user_id + 0` still limits the rows to the owner, but as an expression it cannot use an
    index: SQLite's planner has no statistics and would otherwise pick the (user_id, ...) index
    and read every piece of evidence the user has (SQLite documents this way to steer it).
    """
    return [Evidence.practice_log_id == log_id, (Evidence.user_id + 0) == user_id]


class EvidenceRepository(Repository):
    """Reads and writes a user's evidence; every query is scoped by the owner's id."""

    # --- targets ---

    async def recent_sessions(self, user_id: int, limit: int = 5) -> list[SessionRow]:
        """The user's most recent sessions, newest practice date first."""
        rows = await self._session.execute(
            select_sessions_with_skill()
            .join(Skill, and_(Skill.id == PracticeLog.skill_id, Skill.user_id == user_id))
            .where(PracticeLog.user_id == user_id)
            .order_by(PracticeLog.practiced_on.desc(), PracticeLog.id.desc())
            .limit(limit)
        )
        return [SessionRow(*row) for row in rows.all()]

    async def active_skills(self, user_id: int) -> list[tuple[int, str]]:
        """The user's unarchived skills as (id, name), newest first (a user has at most a few
        hundred, so this does not grow with their history)."""
        rows = await self._session.execute(
            select(Skill.id, Skill.name)
            .where(Skill.user_id == user_id, Skill.archived_at.is_(None))
            .order_by(Skill.created_at.desc(), Skill.id.desc())
        )
        return [(skill_id, name) for skill_id, name in rows.all()]

    # --- writes ---

    async def add(
        self, user_id: int, evidence: EvidenceInput, *, skill_id: int, created_at: datetime
    ) -> Evidence:
        """Save validated evidence under `skill_id` (a session's skill too); the caller has
        checked the session/skill belong to the user.

        The composite foreign keys (target id, user_id) make the database refuse a row that
        points at another user's session or skill even if a caller forgot that check.
        """
        row = Evidence(
            user_id=user_id,
            skill_id=skill_id,
            kind=evidence.kind.value,
            created_at=created_at,
            **evidence.model_dump(exclude={"kind", "skill_id", "screenshot"}),
            **(evidence.screenshot.model_dump() if evidence.screenshot else {}),
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def attached_keys(
        self,
        user_id: int,
        *,
        practice_log_id: int | None,
        skill_id: int,
        urls: Collection[str] = (),
        notes: Collection[str] = (),
        file_unique_ids: Collection[str] = (),
    ) -> set[tuple[str, str]]:
        """Which of these links, notes and files (by unique id, of any file kind) are already
        attached to exactly this target.

        Returns (kind, value) pairs. Only the given values are looked up, so the cost does not
        grow with the target's evidence.
        """
        wanted = [
            condition
            for values, condition in (
                (urls, and_(Evidence.kind == "link", Evidence.url.in_(list(urls)))),
                (notes, and_(Evidence.kind == "note", Evidence.note.in_(list(notes)))),
                (
                    file_unique_ids,
                    and_(
                        Evidence.kind.not_in(("link", "note")),
                        Evidence.file_unique_id.in_(list(file_unique_ids)),
                    ),
                ),
            )
            if values
        ]
        if not wanted:
            return set()
        target = (
            _of_session(user_id, practice_log_id)
            if practice_log_id is not None
            else [
                Evidence.user_id == user_id,
                Evidence.skill_id == skill_id,
                Evidence.practice_log_id.is_(None),
            ]
        )
        rows = await self._session.execute(
            select(Evidence.kind, Evidence.url, Evidence.note, Evidence.file_unique_id).where(
                *target, or_(*wanted)
            )
        )
        found: set[tuple[str, str]] = set()
        for kind, url, note, unique_id in rows.all():
            value = {"link": url, "note": note}.get(kind, unique_id)
            if value is not None:
                found.add((kind, value))
        return found

    async def delete(self, user_id: int, evidence_id: int) -> bool:
        """Delete one piece of the user's evidence; False if it was not there."""
        return await self._delete_owned(Evidence, evidence_id, user_id)

    # --- reads ---

    async def _fetch_entries(
        self,
        user_id: int,
        *where: ColumnElement[bool],  # must scope Evidence rows to user_id
        order_by: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]] = (),
        offset: int = 0,
        limit: int = 1,
    ) -> list[EvidenceEntry]:
        rows = await self._session.execute(
            select(Evidence, PracticeLog, Skill.id, Skill.name)
            .join(Skill, and_(Skill.id == Evidence.skill_id, Skill.user_id == user_id))
            .outerjoin(
                PracticeLog,
                and_(PracticeLog.id == Evidence.practice_log_id, PracticeLog.user_id == user_id),
            )
            .where(*where)
            .order_by(*order_by)
            .offset(offset)
            .limit(limit)
        )
        return [
            _entry(evidence, log, skill_id, skill_name)
            for evidence, log, skill_id, skill_name in rows.all()
        ]

    async def get(self, user_id: int, evidence_id: int) -> EvidenceEntry | None:
        """One piece of the user's evidence, or None (also when it is someone else's)."""
        found = await self._fetch_entries(
            user_id, Evidence.id == evidence_id, Evidence.user_id == user_id
        )
        return found[0] if found else None

    async def count_for_skill(self, user_id: int, skill_id: int) -> int:
        """How many pieces of evidence the skill has (its sessions' included)."""
        return await self._count(
            Evidence, Evidence.user_id == user_id, Evidence.skill_id == skill_id
        )

    async def page_for_skill(
        self, user_id: int, skill_id: int, *, offset: int, limit: int
    ) -> list[EvidenceEntry]:
        """A slice of the skill's evidence: skill-level first, then by session chronologically."""
        return await self._fetch_entries(
            user_id,
            Evidence.user_id == user_id,
            Evidence.skill_id == skill_id,
            order_by=(
                Evidence.practice_log_id.is_not(None),
                PracticeLog.practiced_on,
                PracticeLog.id,
                Evidence.created_at,
                Evidence.id,
            ),
            offset=offset,
            limit=limit,
        )

    async def count_for_session(self, user_id: int, log_id: int) -> int:
        """How many pieces of evidence the session has."""
        return await self._count(Evidence, *_of_session(user_id, log_id))

    async def page_for_session(
        self, user_id: int, log_id: int, *, offset: int, limit: int
    ) -> list[EvidenceEntry]:
        """A slice of one session's evidence in the order it was added."""
        return await self._fetch_entries(
            user_id,
            *_of_session(user_id, log_id),
            order_by=(Evidence.created_at, Evidence.id),
            offset=offset,
            limit=limit,
        )

    async def skills_with_evidence(self, user_id: int) -> list[SkillEvidenceCount]:
        """The user's skills that have evidence, most recently added-to first."""
        rows = await self._session.execute(
            select(Skill.id, Skill.name, func.count(Evidence.id))
            .join(Evidence, and_(Evidence.skill_id == Skill.id, Evidence.user_id == user_id))
            .where(Skill.user_id == user_id)
            .group_by(Skill.id, Skill.name)
            .order_by(func.max(Evidence.created_at).desc(), Skill.id)
        )
        return [SkillEvidenceCount(skill_id, name, int(count)) for skill_id, name, count in rows]

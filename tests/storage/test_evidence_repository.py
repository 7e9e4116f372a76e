"""EvidenceRepository: every read and write is scoped to the owner; duplicates found by target."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.seed import seed_session_with_link
from tests.support import UnitOfWorkFactory

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SARAH, MALLORY = 1, 2


async def test_another_user_sees_and_deletes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    skill_id, log_id, evidence_id = await seed_session_with_link(uow_factory)
    async with uow_factory() as uow:
        assert await uow.evidence.get(MALLORY, evidence_id) is None
        assert await uow.history.row(MALLORY, log_id) is None
        assert await uow.evidence.recent_sessions(MALLORY) == []
        assert [name for _, name in await uow.evidence.active_skills(MALLORY)] == ["Lockpicking"]
        assert await uow.evidence.count_for_skill(MALLORY, skill_id) == 0
        assert await uow.evidence.page_for_skill(MALLORY, skill_id, offset=0, limit=8) == []
        assert await uow.evidence.count_for_session(MALLORY, log_id) == 0
        assert await uow.evidence.page_for_session(MALLORY, log_id, offset=0, limit=8) == []
        assert await uow.evidence.skills_with_evidence(MALLORY) == []
        assert not await uow.evidence.delete(MALLORY, evidence_id)
        await uow.commit()
    async with uow_factory() as uow:
        entry = await uow.evidence.get(SARAH, evidence_id)
        assert entry is not None and entry.session is not None
        assert (entry.url, entry.session.id, entry.skill_name) == (
            "https://github.com/sarah/todo",
            log_id,
            "React",
        )
        assert await uow.evidence.count_for_session(SARAH, log_id) == 1


async def test_attached_keys_look_only_at_the_exact_target(uow_factory: UnitOfWorkFactory) -> None:
    skill_id, log_id, _ = await seed_session_with_link(uow_factory)
    url = "https://github.com/sarah/todo"
    async with uow_factory() as uow:
        on_session = await uow.evidence.attached_keys(
            SARAH, practice_log_id=log_id, skill_id=skill_id, urls=[url, "https://other.dev/"]
        )
        on_skill = await uow.evidence.attached_keys(
            SARAH, practice_log_id=None, skill_id=skill_id, urls=[url]
        )
        as_note = await uow.evidence.attached_keys(
            SARAH, practice_log_id=log_id, skill_id=skill_id, notes=[url]
        )
        theirs = await uow.evidence.attached_keys(
            MALLORY, practice_log_id=log_id, skill_id=skill_id, urls=[url]
        )
    assert on_session == {("link", url)}
    assert on_skill == set()  # the skill-level group is a different target
    assert as_note == set()  # a note with the same text is not the same piece
    assert theirs == set()

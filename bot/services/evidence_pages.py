"""Pages of a session's or a skill's evidence, for the evidence screens."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.evidence import EvidenceEntry
from bot.services.evidence import Target, session_target, skill_target
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class EvidencePage:
    """One page of a target's evidence: the page number (clamped), its entries and the total."""

    target: Target
    entries: list[EvidenceEntry]
    page: int
    total: int


async def evidence_page(
    uow: UnitOfWork,
    user_id: int,
    *,
    log_id: int | None = None,
    skill_id: int | None = None,
    page: int,
    size: int,
) -> EvidencePage | None:
    """A page of the user's session's (log_id) or else skill's evidence; None if not theirs.

    A page past the last (the last item of it was just deleted, say) shows the last page."""
    if log_id is not None:
        target = await session_target(uow, user_id, log_id)
    elif skill_id is not None:
        target = await skill_target(uow, user_id, skill_id)
    else:
        raise ValueError("evidence_page needs a log_id or a skill_id")
    if target is None:
        return None
    session = target.session
    if session is not None:
        total = await uow.evidence.count_for_session(user_id, session.id)
    else:
        total = await uow.evidence.count_for_skill(user_id, target.skill_id)
    page = min(max(page, 0), max(0, (total - 1) // size))
    offset = page * size
    if session is not None:
        entries = await uow.evidence.page_for_session(
            user_id, session.id, offset=offset, limit=size
        )
    else:
        entries = await uow.evidence.page_for_skill(
            user_id, target.skill_id, offset=offset, limit=size
        )
    return EvidencePage(target, entries, page, total)

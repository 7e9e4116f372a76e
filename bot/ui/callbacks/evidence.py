"""The buttons of the evidence screens and of the evidence conversation."""

from __future__ import annotations

from typing import Annotated, Final

from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema, Word

# evidence: "ev" (screens, plus the "m" step of the evidence conversation)

EVIDENCE: Final = "ev"
FROM_LIST, FROM_SESSION = "l", "s"
TO_SESSION, TO_SKILL = "s", "k"


class EvidenceData(CallbackData, prefix=EVIDENCE):
    """An evidence button."""


class SessionEvidenceData(EvidenceData):
    """A button about a session's evidence: the session."""

    log_id: Id


class SkillEvidenceData(EvidenceData):
    """A button about a skill's evidence: the skill."""

    skill_id: Id


class EvidenceAddToSession(SessionEvidenceData, key=("add",)):
    """➕ Add evidence to a session."""


class EvidenceAddToSkill(SkillEvidenceData, key=("addk",)):
    """➕ Add evidence to a skill."""


class EvidenceOfSession(SessionEvidenceData, key=("s",)):
    """A session's evidence (first page when no page is given)."""

    page: Annotated[int, Int()] | None = None


class EvidenceOfSkill(SkillEvidenceData, key=("l",)):
    """A skill's evidence list, a page of it."""

    page: Annotated[int, Int()]


class EvidenceSkills(EvidenceData, key=("pk",)):
    """The picker of skills that have evidence, a page of it."""

    page: Annotated[int, Int()]


class EvidenceClose(EvidenceData, key=("x",)):
    """✖ Close the evidence screen."""


class EvidenceItemData(EvidenceData):
    """A button about one evidence item: the item."""

    evidence_id: Id


class EvidenceResend(EvidenceItemData, key=("ss",)):
    """🖼 Show a screenshot again."""


class EvidenceShowNote(EvidenceItemData, key=("n",)):
    """📖 Show a note in full."""


class EvidenceDeletion(EvidenceItemData):
    """Deleting an item: the item, and the list (origin) and page to go back to."""

    origin: Annotated[str, Word((FROM_LIST, FROM_SESSION))]
    page: Annotated[int, Int()]


class EvidenceDelete(EvidenceDeletion, key=("d",)):
    """🗑 Ask to confirm deleting an item."""


class EvidenceDeleteYes(EvidenceDeletion, key=("dy",)):
    """Delete the item, then go back where the delete was asked from."""


class EvidenceMode(EvidenceData, key=("m",)):
    """Conversation step "collect": what kind of evidence comes next."""

    mode: Annotated[str, Word(("link", "note", "shot"))]


class EvidenceTarget(EvidenceData, key=("t",)):
    """On the 'where should I attach it?' prompt: attach the waiting batch here."""

    kind: Annotated[str, Word((TO_SESSION, TO_SKILL))]
    target_id: Id


class EvidenceDropBatch(EvidenceData, key=("xb",)):
    """✖ Cancel on the 'where should I attach it?' prompt: forget the waiting batch."""


class EvidenceAttachPending(SessionEvidenceData, key=("ap",)):
    """📎 On a just-saved session's card: attach the evidence waiting in the batch to it."""


EVIDENCE_BUTTONS: Final = Schema.of(EvidenceData)
# The conversation's own steps; the rest are answered without one (the waiting batch lives in
# its own row, so its prompt's buttons work whatever conversation is open).
EVIDENCE_STEP_ACTIONS: Final = frozenset({"m"})

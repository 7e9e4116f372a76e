"""The buttons of the evidence screens and of the evidence conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Final

from bot.ui.callbacks.schema import CallbackData, Id, Int, Schema, Word

# evidence: "ev" (screens, plus the "m" and "t" steps of the evidence conversation)

EVIDENCE: Final = "ev"
FROM_LIST, FROM_SESSION = "l", "s"
TO_SESSION, TO_SKILL = "s", "k"


@dataclass(frozen=True)
class EvidenceData(CallbackData):
    """An evidence button."""

    PREFIX: ClassVar[str] = EVIDENCE


@dataclass(frozen=True)
class EvidenceAddToSession(EvidenceData):
    """➕ Add evidence to a session."""

    KEY: ClassVar[tuple[str, ...]] = ("add",)
    log_id: Id


@dataclass(frozen=True)
class EvidenceAddToSkill(EvidenceData):
    """➕ Add evidence to a skill."""

    KEY: ClassVar[tuple[str, ...]] = ("addk",)
    skill_id: Id


@dataclass(frozen=True)
class EvidenceOfSession(EvidenceData):
    """A session's evidence (first page when no page is given)."""

    KEY: ClassVar[tuple[str, ...]] = ("s",)
    log_id: Id
    page: Annotated[int, Int()] | None = None


@dataclass(frozen=True)
class EvidenceOfSkill(EvidenceData):
    """A skill's evidence list, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = ("l",)
    skill_id: Id
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceSkills(EvidenceData):
    """The picker of skills that have evidence, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = ("pk",)
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceClose(EvidenceData):
    """✖ Close the evidence screen."""

    KEY: ClassVar[tuple[str, ...]] = ("x",)


@dataclass(frozen=True)
class EvidenceResend(EvidenceData):
    """🖼 Show a screenshot again."""

    KEY: ClassVar[tuple[str, ...]] = ("ss",)
    evidence_id: Id


@dataclass(frozen=True)
class EvidenceShowNote(EvidenceData):
    """📖 Show a note in full."""

    KEY: ClassVar[tuple[str, ...]] = ("n",)
    evidence_id: Id


@dataclass(frozen=True)
class EvidenceDelete(EvidenceData):
    """🗑 Ask to confirm deleting an item; origin and page say where to go back."""

    KEY: ClassVar[tuple[str, ...]] = ("d",)
    evidence_id: Id
    origin: Annotated[str, Word((FROM_LIST, FROM_SESSION))]
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceDeleteYes(EvidenceData):
    """Delete the item, then go back where the delete was asked from."""

    KEY: ClassVar[tuple[str, ...]] = ("dy",)
    evidence_id: Id
    origin: Annotated[str, Word((FROM_LIST, FROM_SESSION))]
    page: Annotated[int, Int()]


@dataclass(frozen=True)
class EvidenceMode(EvidenceData):
    """Conversation step "collect": what kind of evidence comes next."""

    KEY: ClassVar[tuple[str, ...]] = ("m",)
    mode: Annotated[str, Word(("link", "note", "shot"))]


@dataclass(frozen=True)
class EvidenceTarget(EvidenceData):
    """Conversation step "pick": attach the batch to a session or a skill."""

    KEY: ClassVar[tuple[str, ...]] = ("t",)
    kind: Annotated[str, Word((TO_SESSION, TO_SKILL))]
    target_id: Id


EVIDENCE_BUTTONS: Final = Schema[EvidenceData](
    EVIDENCE,
    EvidenceAddToSession,
    EvidenceAddToSkill,
    EvidenceOfSession,
    EvidenceOfSkill,
    EvidenceSkills,
    EvidenceClose,
    EvidenceResend,
    EvidenceShowNote,
    EvidenceDelete,
    EvidenceDeleteYes,
    EvidenceMode,
    EvidenceTarget,
)
# The conversation's own steps; the rest are answered without one.
EVIDENCE_STEP_ACTIONS: Final = frozenset({"m", "t"})

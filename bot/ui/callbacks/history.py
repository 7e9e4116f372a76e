"""The buttons of the /history screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar, Final

from bot.domain.history_filters import RangeSpec
from bot.ui.callbacks.codec import BadCallback
from bot.ui.callbacks.schema import CallbackData, Id, Int, Range, Schema, Text, Word

# /history: "hs" (stateless screens; every id re-checked against the presser)

HISTORY: Final = "hs"
PAGE_AT, PAGE_OLDER, PAGE_NEWER = "a", "o", "n"


@dataclass(frozen=True)
class ListPlace(CallbackData):
    """Where a history screen came from: the page's first row (0, 0: the newest page), the
    skill filter (0: all) and the date range. Four wire fields, always all of them."""

    anchor_day: Annotated[int, Int(0, date.max.toordinal())]
    anchor_id: Id
    skill_id: Id
    range: Annotated[RangeSpec, Range()]

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.anchor_day == 0) != (self.anchor_id == 0):
            raise BadCallback("half an anchor")


@dataclass(frozen=True)
class HistoryData(CallbackData):
    """A /history button."""

    PREFIX: ClassVar[str] = HISTORY


@dataclass(frozen=True)
class HistoryPage(HistoryData):
    """A page of the list: at/older than the place's anchor, older, or newer."""

    KEY: ClassVar[tuple[str, ...]] = ("p",)
    mode: Annotated[str, Word((PAGE_AT, PAGE_OLDER, PAGE_NEWER))]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryView(HistoryData):
    """A session's detail."""

    KEY: ClassVar[tuple[str, ...]] = ("v",)
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryEditMenu(HistoryData):
    """The edit menu of a session (also sent by the saved-entry card, without a place)."""

    KEY: ClassVar[tuple[str, ...]] = ("edit",)
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryEditField(HistoryData):
    """Ask for one field's new value; the handler refuses a field that is not editable."""

    KEY: ClassVar[tuple[str, ...]] = ("ef",)
    log_id: Id
    field: Annotated[str, Text()]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistorySetValue(HistoryData):
    """A value button: date as days back, duration in minutes, rating (0 clears it).

    The value's range depends on the field, so the handler checks it after the field: a
    forged field is refused as not editable whatever value it carries."""

    KEY: ClassVar[tuple[str, ...]] = ("set",)
    log_id: Id
    field: Annotated[str, Text()]
    value: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryDelete(HistoryData):
    """Ask to confirm deleting a session."""

    KEY: ClassVar[tuple[str, ...]] = ("del",)
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryDeleteYes(HistoryData):
    """Delete the session (Undo stays possible for a while)."""

    KEY: ClassVar[tuple[str, ...]] = ("dy",)
    log_id: Id
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryUndo(HistoryData):
    """↩️ Undo a delete."""

    KEY: ClassVar[tuple[str, ...]] = ("u",)
    snapshot_id: Id


@dataclass(frozen=True)
class HistorySkillPicker(HistoryData):
    """The skill filter picker, a page of it."""

    KEY: ClassVar[tuple[str, ...]] = ("sk",)
    page: Annotated[int, Int(0, 1000)]
    place: ListPlace | None = None


@dataclass(frozen=True)
class HistoryClose(HistoryData):
    """✖ Close the list."""

    KEY: ClassVar[tuple[str, ...]] = ("x",)


HISTORY_BUTTONS: Final = Schema[HistoryData](
    HISTORY,
    HistoryPage,
    HistoryView,
    HistoryEditMenu,
    HistoryEditField,
    HistorySetValue,
    HistoryDelete,
    HistoryDeleteYes,
    HistoryUndo,
    HistorySkillPicker,
    HistoryClose,
)

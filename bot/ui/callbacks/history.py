"""The buttons of the /history screens."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from bot.domain.history_filters import RangeSpec
from bot.ui.callbacks.codec import BadCallback
from bot.ui.callbacks.schema import CallbackData, Id, Int, Range, Schema, SkillPage, Text, Word

# /history: "hs" (stateless screens; every id re-checked against the presser)

HISTORY: Final = "hs"
PAGE_AT, PAGE_OLDER, PAGE_NEWER = "a", "o", "n"


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


class HistoryData(CallbackData, prefix=HISTORY):
    """A /history button."""


class HistoryPage(HistoryData, key=("p",)):
    """A page of the list: at/older than the place's anchor, older, or newer."""

    mode: Annotated[str, Word((PAGE_AT, PAGE_OLDER, PAGE_NEWER))]
    place: ListPlace | None = None


class HistorySessionData(HistoryData):
    """A button about one session: the session (its fields, then the list place, follow)."""

    log_id: Id


class HistorySessionAt(HistorySessionData):
    """A button about one session, and the list place to come back to."""

    place: ListPlace | None = None


class HistoryView(HistorySessionAt, key=("v",)):
    """A session's detail."""


class HistoryEditMenu(HistorySessionAt, key=("edit",)):
    """The edit menu of a session (also sent by the saved-entry card, without a place)."""


class HistoryEditField(HistorySessionData, key=("ef",)):
    """Ask for one field's new value; the handler refuses a field that is not editable."""

    field: Annotated[str, Text()]
    place: ListPlace | None = None


class HistorySetValue(HistorySessionData, key=("set",)):
    """A value button: date as days back, duration in minutes, rating (0 clears it).

    The value's range depends on the field, so the handler checks it after the field: a
    forged field is refused as not editable whatever value it carries."""

    field: Annotated[str, Text()]
    value: Id
    place: ListPlace | None = None


class HistoryDelete(HistorySessionAt, key=("del",)):
    """Ask to confirm deleting a session."""


class HistoryDeleteYes(HistorySessionAt, key=("dy",)):
    """Delete the session (Undo stays possible for a while)."""


class HistoryUndo(HistoryData, key=("u",)):
    """↩️ Undo a delete."""

    snapshot_id: Id


class HistorySkillPicker(HistoryData, key=("sk",)):
    """The skill filter picker, a page of it."""

    page: SkillPage
    place: ListPlace | None = None


class HistoryClose(HistoryData, key=("x",)):
    """✖ Close the list."""


HISTORY_BUTTONS: Final = Schema.of(HistoryData)

"""The /history list context in callback data: round trips, the 64-byte fallback, refusals."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from bot.domain.history import Cursor
from bot.domain.history_filters import ALL, RangeSpec
from bot.ui.callbacks import (
    HISTORY_BUTTONS,
    BadCallback,
    HistoryEditMenu,
    HistorySetValue,
    HistoryView,
    decode,
)
from bot.ui.history import TOP, ListContext, context_from_text, context_of, placed

BIG = 2_147_483_647  # the largest id an INTEGER primary key reaches on PostgreSQL
WIDE = RangeSpec("dates", start=date(2020, 1, 1), end=date(2026, 11, 25))


@pytest.mark.parametrize(
    "ctx",
    [
        TOP,
        ListContext(12, RangeSpec("week"), Cursor(date(2026, 11, 20), 345)),
        ListContext(None, RangeSpec("days", days=30), Cursor(date(2001, 2, 3), 1)),
        ListContext(7, WIDE, None),
    ],
)
def test_context_round_trips_through_buttons_and_text(ctx: ListContext) -> None:
    _, data = placed("1", ctx, partial(HistoryView, 99))
    assert decode(data).fields[:2] == ("v", "99")
    pressed = HISTORY_BUTTONS.parse(data)
    assert isinstance(pressed, HistoryView)
    assert pressed.log_id == 99
    assert context_of(pressed.place) == ctx
    assert context_from_text(ctx.text()) == ctx


def test_a_context_too_big_for_64_bytes_drops_the_page_then_the_filter() -> None:
    ctx = ListContext(BIG, WIDE, Cursor(date(2026, 11, 20), BIG))
    _, data = placed("4", ctx, partial(HistorySetValue, BIG, "conf", 5))
    assert len(data.encode()) <= 64
    pressed = HISTORY_BUTTONS.parse(data)
    assert isinstance(pressed, HistorySetValue)
    assert (pressed.log_id, pressed.field, pressed.value) == (BIG, "conf", 5)
    assert context_of(pressed.place) == ctx.at(None)
    # A field so long that even the newest page of everything does not fit: no place at all.
    _, data = placed("x", ctx, partial(HistorySetValue, BIG, "conf" * 10, 5))
    assert len(data.encode()) <= 64
    pressed = HISTORY_BUTTONS.parse(data)
    assert isinstance(pressed, HistorySetValue)
    assert pressed.place is None
    assert context_of(pressed.place) == TOP


@pytest.mark.parametrize(
    "data",
    [
        "hs:v:1:0:5:0:a",  # half an anchor
        "hs:v:1:5:0:0:a",
        "hs:v:1:0:0:0:nope",
        "hs:v:1:0:0:-1:a",
        "hs:v:1:99999999:1:0:a",  # past date.max
        "hs:v:1:0:0:0:a:extra",
        "hs:v:1:0:0",
    ],
)
def test_forged_contexts_are_refused(data: str) -> None:
    with pytest.raises(BadCallback):
        HISTORY_BUTTONS.parse(data)


def test_missing_context_means_the_newest_page_of_everything() -> None:
    pressed = HISTORY_BUTTONS.parse("hs:edit:5")
    assert isinstance(pressed, HistoryEditMenu)
    assert pressed == HistoryEditMenu(5)
    assert context_of(pressed.place) == TOP == ListContext(None, ALL, None)
    assert context_from_text("garbage") == TOP

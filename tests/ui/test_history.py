"""The /history list context in callback data: round trips, the 64-byte fallback, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.history import Cursor
from bot.domain.history_filters import ALL, RangeSpec
from bot.ui.callbacks import BadCallback, decode
from bot.ui.history import TOP, ListContext, context_from, context_from_text, ctx_button

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
    _, data = ctx_button("1", "v", 99, ctx=ctx)
    callback = decode(data)
    assert callback.fields[:2] == ("v", "99")
    assert context_from(callback, 2) == ctx
    assert context_from_text(ctx.text()) == ctx


def test_a_context_too_big_for_64_bytes_drops_the_page_then_the_filter() -> None:
    ctx = ListContext(BIG, WIDE, Cursor(date(2026, 11, 20), BIG))
    _, data = ctx_button("4", "set", BIG, "conf", 5, ctx=ctx)
    assert len(data.encode()) <= 64
    assert context_from(decode(data), 4) == ctx.at(None)
    _, data = ctx_button("x", "set", BIG, "conf", 5, 10**9, 10**9, ctx=ctx)
    assert len(data.encode()) <= 64


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
        context_from(decode(data), 2)


def test_missing_context_means_the_newest_page_of_everything() -> None:
    assert context_from(decode("hs:edit:5"), 2) == TOP == ListContext(None, ALL, None)
    assert context_from_text("garbage") == TOP

"""Paging a list for a screen: every item on exactly one page, any asked-for page lands in range."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.ui.paging import list_page, page_count


@given(st.lists(st.integers(), max_size=60), st.integers(1, 12))
def test_the_pages_hold_every_item_once_in_order(items: list[int], size: int) -> None:
    pages = page_count(len(items), size)
    shown = [list_page(items, n, size) for n in range(pages)]
    assert [item for p in shown for item in p.items] == items
    assert all(0 < len(p.items) <= size for p in shown) or items == []
    assert all(p.pages == pages and p.page == n for n, p in enumerate(shown))


@given(st.lists(st.integers(), max_size=60), st.integers(1, 12), st.integers(-5, 20))
def test_a_page_out_of_range_gives_the_nearest_one(items: list[int], size: int, asked: int) -> None:
    page = list_page(items, asked, size)
    last = page_count(len(items), size) - 1
    assert page.page == min(max(asked, 0), last)
    assert page == list_page(items, page.page, size)


def test_the_counter_shows_only_when_there_are_pages() -> None:
    assert page_count(0, 8) == 1
    assert page_count(17, 8) == 3
    assert list_page(list(range(17)), 9, 8).items == [16]
    assert list_page(list(range(17)), 1, 8).counter() == " (page 2/3)"
    assert list_page(list(range(8)), 0, 8).counter() == ""
    assert list_page([], 3, 8).counter() == ""

"""Paging a list for a screen: how many pages, which one (kept in range), and its items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def page_count(total: int, size: int) -> int:
    """How many pages `total` items fill (at least one)."""
    return max(1, -(-total // size))


@dataclass(frozen=True, slots=True)
class ListPage(Generic[T]):
    """One page of a list: its items, its number (from 0) and how many pages there are."""

    items: Sequence[T]
    page: int
    pages: int

    def counter(self) -> str:
        """' (page 2/3)' when there is more than one page, else nothing."""
        return f" (page {self.page + 1}/{self.pages})" if self.pages > 1 else ""


def list_page(items: Sequence[T], page: int, size: int) -> ListPage[T]:
    """Page `page` of `items` in pages of `size`; a page out of range (old buttons, a list
    that shrank) gives the nearest page there is."""
    pages = page_count(len(items), size)
    page = min(max(page, 0), pages - 1)
    return ListPage(items[page * size : (page + 1) * size], page, pages)

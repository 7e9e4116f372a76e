"""Quoting what the user sent back to them in messages."""

from __future__ import annotations


def shorten(text: str, limit: int = 30) -> str:
    """Echo user input back in a message without letting a huge paste flood it."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

"""Evidence screens: worst-case pages fit Telegram's limits; lines escape what users typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.evidence import EvidenceEntry, EvidenceKind
from bot.domain.history import SessionRow
from bot.ui.evidence import (
    PAGE_SIZE,
    count_phrase,
    evidence_buttons,
    file_size_label,
    is_sent_as_photo,
    render_session_evidence,
    session_evidence_screen,
    skill_evidence_screen,
    target_screen,
)
from tests.fakebot import parse_html

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, tzinfo=UTC)
LONG_SKILL = "Ж" * 64
MAX_ID = 2**31 - 1


def _session(n: int) -> SessionRow:
    return SessionRow(
        id=MAX_ID - n,
        skill_id=MAX_ID,
        skill_name=LONG_SKILL,
        practiced_on=TODAY - timedelta(days=n),
        duration_minutes=1439,
        description="<&>" * 166,
        difficulty=5,
        confidence=5,
        created_at=NOW,
        updated_at=NOW,
    )


def _entry(n: int, kind: str, session: SessionRow | None, **content: object) -> EvidenceEntry:
    values: dict[str, object] = {
        "url": None,
        "note": None,
        "file_name": None,
        "file_size": None,
        "mime_type": None,
        "width": None,
        "height": None,
        "file_id": None,
        "file_unique_id": None,
    }
    values.update(content)
    return EvidenceEntry(
        id=MAX_ID - n,
        kind=kind,
        skill_id=MAX_ID,
        skill_name=LONG_SKILL,
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
        session=session,
        **values,  # type: ignore[arg-type]
    )


def _worst_case(kind: str) -> list[EvidenceEntry]:
    content: dict[str, object] = {
        "link": {"url": "https://example.com/" + "%3C" * 676},
        "note": {"note": "<&>" * 666 + "xx"},
        "screenshot": {
            "file_name": "&" * 251 + ".png",
            "file_size": 10**12,
            "width": 99999,
            "height": 99999,
            "file_id": "f" * 255,
            "file_unique_id": "u" * 128,
        },
    }[kind]  # type: ignore[assignment]
    # The longest description (on a link or a file) and forwarded-from name, too.
    if kind != "note":
        content["note"] = "<&>" * 666 + "xx"
    content["source"] = "&" * 255
    # Every item in its own session: the most group headers a page can have.
    return [_entry(n, kind, _session(n), **content) for n in range(PAGE_SIZE)]


def _visible_length(html: str) -> int:
    text, _ = parse_html(html)
    return len(text)


@pytest.mark.parametrize("kind", ["link", "note", "screenshot"])
def test_a_full_page_of_the_longest_items_fits_one_message(kind: str) -> None:
    entries = _worst_case(kind)
    text, keyboard = skill_evidence_screen(
        MAX_ID, LONG_SKILL, entries, page=99, total=10**6, today=TODAY
    )
    assert _visible_length(text) <= 4096
    session_text, _ = session_evidence_screen(
        _session(0), entries, page=99, total=10**6, today=TODAY
    )
    assert _visible_length(session_text) <= 4096
    buttons = [b for row in keyboard.inline_keyboard for b in row]
    assert all(len((b.callback_data or "").encode()) <= 64 for b in buttons)  # type: ignore[arg-type]
    assert len(buttons) <= 100


def test_target_choice_with_long_names_fits_callback_limits() -> None:
    text, keyboard = target_screen(
        [EvidenceKind.LINK] * 20,
        ["Skipped data:x: Only http and https links can be saved as evidence."] * 5,
        [_session(n) for n in range(5)],
        [(MAX_ID - n, LONG_SKILL) for n in range(6)],
        TODAY,
    )
    assert "20 links" in text
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert labels[0] == "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ… · today · 23 h 59 min"
    assert labels[-1] == "✖ Cancel"


def test_session_evidence_lines_are_numbered_and_escaped() -> None:
    session = _session(0)
    entries = [
        _entry(1, "link", session, url='https://x.dev/?q="a"&b=<c>'),
        _entry(2, "note", session, note="use <b>bold</b> & more"),
        _entry(
            3,
            "screenshot",
            session,
            file_name="photo_abc.jpg",
            file_unique_id="abc",
            width=800,
            height=600,
            file_size=60_000,
        ),
    ]
    html = render_session_evidence(entries, start=4)
    assert html.splitlines() == [
        '4. 🔗 <a href="https://x.dev/?q=&quot;a&quot;&amp;b=&lt;c&gt;">'
        'x.dev/?q="a"&amp;b=&lt;c&gt;</a>',
        "5. 📝 use &lt;b&gt;bold&lt;/b&gt; &amp; more",
        "6. 🖼 photo_abc.jpg · 800×600 · 59 KB",
    ]
    parse_html(html)  # valid for Telegram's HTML parse mode
    rows = evidence_buttons(entries, start=4, origin="s", page=0)
    assert [[label for label, _ in row] for row in rows] == [["🗑 4", "🗑 5", "🖼 6", "🗑 6"]]
    assert is_sent_as_photo(entries[2])


def test_a_file_named_like_a_photo_is_still_a_file() -> None:
    doc = _entry(1, "screenshot", None, file_name="photo_abc.jpg", file_unique_id="other")
    assert not is_sent_as_photo(doc)


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([EvidenceKind.LINK], "1 link"),
        ([EvidenceKind.SCREENSHOT, EvidenceKind.LINK], "1 link and 1 screenshot"),
        (
            [EvidenceKind.NOTE, EvidenceKind.LINK, EvidenceKind.LINK, EvidenceKind.SCREENSHOT],
            "2 links, 1 note and 1 screenshot",
        ),
    ],
)
def test_count_phrase(kinds: list[EvidenceKind], expected: str) -> None:
    assert count_phrase(kinds) == expected


@pytest.mark.parametrize(
    ("size", "label"),
    [(None, ""), (812, "812 B"), (1024, "1 KB"), (150_000, "146 KB"), (3_565_158, "3.4 MB")],
)
def test_file_size_label(size: int | None, label: str) -> None:
    assert file_size_label(size) == label

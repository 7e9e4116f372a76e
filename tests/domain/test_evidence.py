"""Tests of evidence rules: link extraction, link/note validation, screenshot metadata."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import DomainError
from bot.domain.evidence import (
    EvidenceInput,
    EvidenceKind,
    ScreenshotMeta,
    TextEntity,
    extract_links,
    is_image_document,
    parse_evidence_kind,
    photo_file_name,
    validate_evidence,
    validate_link,
    validate_note,
    validate_screenshot,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def u16(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts offsets."""
    return len(text.encode("utf-16-le")) // 2


def url_entity(text: str, fragment: str, start: int = 0) -> TextEntity:
    """A ``url`` entity covering the first occurrence of ``fragment`` at or after ``start``."""
    index = text.index(fragment, start)
    return TextEntity("url", u16(text[:index]), u16(fragment))


# --- extract_links ---------------------------------------------------------------------------

PLAIN = "see https://github.com/me/repo for the code"
THREE = "a https://a.com/1 b http://b.org/x?y=1 c https://c.net/#frag"
EMOJI = "🔥🎉 done! https://example.com/post"
FLAG = "🇺🇦👨‍👩‍👧 https://x.com/y and https://z.com"
BARE = "read example.com/guide and www.python.org"
DUPES = "https://a.com then https://a.com again"
TEXT_LINK = "my blog post and the video"

EXTRACT_CASES: list[tuple[str, str | None, list[TextEntity], list[str]]] = [
    (
        "plain link",
        PLAIN,
        [url_entity(PLAIN, "https://github.com/me/repo")],
        ["https://github.com/me/repo"],
    ),
    (
        "three links",
        THREE,
        [
            url_entity(THREE, "https://a.com/1"),
            url_entity(THREE, "http://b.org/x?y=1"),
            url_entity(THREE, "https://c.net/#frag"),
        ],
        ["https://a.com/1", "http://b.org/x?y=1", "https://c.net/#frag"],
    ),
    (
        "text links (forwarded)",
        TEXT_LINK,
        [
            TextEntity("text_link", 3, 9, "https://blog.example/post"),
            TextEntity("bold", 0, 2),
            TextEntity("text_link", 21, 5, "https://youtu.be/abc"),
        ],
        ["https://blog.example/post", "https://youtu.be/abc"],
    ),
    (
        "emoji before the url",
        EMOJI,
        [url_entity(EMOJI, "https://example.com/post")],
        ["https://example.com/post"],
    ),
    (
        "flag and ZWJ emoji before two urls",
        FLAG,
        [url_entity(FLAG, "https://x.com/y"), url_entity(FLAG, "https://z.com")],
        ["https://x.com/y", "https://z.com"],
    ),
    (
        "bare domains get http",
        BARE,
        [url_entity(BARE, "example.com/guide"), url_entity(BARE, "www.python.org")],
        ["http://example.com/guide", "http://www.python.org"],
    ),
    (
        "duplicates kept once",
        DUPES,
        [
            url_entity(DUPES, "https://a.com"),
            url_entity(DUPES, "https://a.com", 5),
            TextEntity("text_link", 0, 4, "https://a.com"),
        ],
        ["https://a.com"],
    ),
    (
        "entities out of order come out in text order",
        THREE,
        [url_entity(THREE, "https://c.net/#frag"), url_entity(THREE, "https://a.com/1")],
        ["https://a.com/1", "https://c.net/#frag"],
    ),
    (
        "other entity types ignored",
        PLAIN,
        [TextEntity("bold", 0, 3), TextEntity("email", 4, 5), TextEntity("mention", 0, 2)],
        [],
    ),
    (
        "no text: text_link still read",
        None,
        [TextEntity("url", 0, 5), TextEntity("text_link", 0, 5, "https://t.example")],
        ["https://t.example"],
    ),
    ("entity past the end ignored", "short", [TextEntity("url", 40, 10)], []),
    ("no entities", "https://not-an-entity.com", [], []),
]


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [case[1:] for case in EXTRACT_CASES],
    ids=[case[0] for case in EXTRACT_CASES],
)
def test_extract_links(text: str | None, entities: list[TextEntity], expected: list[str]) -> None:
    assert extract_links(text, entities) == expected


@given(
    prefix=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
    path=st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True),
)
def test_extract_links_counts_utf16_units_whatever_comes_before(prefix: str, path: str) -> None:
    link = f"https://example.com/{path}"
    text = f"{prefix} {link} tail"
    entity = TextEntity("url", u16(prefix) + 1, u16(link))
    assert extract_links(text, [entity]) == [link]


# --- validate_link ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/me/repo", "https://github.com/me/repo"),
        ("  https://github.com/me/repo  ", "https://github.com/me/repo"),
        (
            "HTTPS://Example.COM/Path/Keeps/Case?q=A&b=2#Frag",
            "https://example.com/Path/Keeps/Case?q=A&b=2#Frag",
        ),
        # A bare host gains the "/" path: the same URL in WHATWG's canonical form.
        ("https://example.com", "https://example.com/"),
        ("http://example.com?x=1", "http://example.com/?x=1"),
        ("https://example.com/path/", "https://example.com/path/"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        ),
        ("https://example.com:8443/a%20b", "https://example.com:8443/a%20b"),
        ("http://localhost:8000/demo", "http://localhost:8000/demo"),
        ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
    ],
)
def test_validate_link_accepts_and_normalises(raw: str, expected: str) -> None:
    assert validate_link(raw) == expected


SCHEME_MESSAGE = "Only http and https links can be saved as evidence."
NEEDS_SCHEME = "needs to start with http:// or https://"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("javascript:alert(1)", SCHEME_MESSAGE),
        ("JavaScript:alert(document.cookie)", SCHEME_MESSAGE),
        ("data:text/html,<script>alert(1)</script>", SCHEME_MESSAGE),
        ("file:///etc/passwd", SCHEME_MESSAGE),
        ("ftp://files.example.com/a.zip", SCHEME_MESSAGE),
        ("mailto:me@example.com", SCHEME_MESSAGE),
        ("tg://resolve?domain=durov", SCHEME_MESSAGE),
        ("https://example.com/a b", "Links can't contain spaces"),
        ("https://exa mple.com", "Links can't contain spaces"),
        ("https://example.com/a\tb", "Links can't contain spaces"),
        ("https://example.com/\x00", "control characters"),
        (
            "https://example.com/" + "a" * 2280,
            "That link is 2,300 characters long; the limit is 2,048.",
        ),
        ("/relative/path", NEEDS_SCHEME),
        ("example.com/page", NEEDS_SCHEME),
        ("example.com:8080/page", NEEDS_SCHEME),
        ("//example.com/x", NEEDS_SCHEME),
        ("", "The link is empty"),
        ("   ", "The link is empty"),
        ("https://", "no website address"),
        ("https://example.com:99999/", "invalid port number"),
        ("http://999.999.1.1/", "invalid IPv4 address"),
    ],
)
def test_validate_link_rejects(raw: str, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        validate_link(raw)


def test_validate_link_limit_is_inclusive() -> None:
    base = "https://example.com/"
    exactly = base + "a" * (2048 - len(base))
    assert validate_link(exactly) == exactly
    with pytest.raises(DomainError, match="2,049 characters"):
        validate_link(exactly + "a")


def test_validate_link_counts_the_encoded_length_too() -> None:
    # 1,000 Cyrillic letters fit as typed but become 6,000 characters percent-encoded.
    with pytest.raises(DomainError, match="once encoded"):
        validate_link("https://example.com/" + "ж" * 1000)


@given(path=st.from_regex(r"[A-Za-z0-9/._~%-]{0,40}(\?[a-z0-9=&]{0,20})?", fullmatch=True))
def test_validate_link_is_idempotent(path: str) -> None:
    once = validate_link(f"https://Example.com/{path}")
    assert validate_link(once) == once


# --- validate_note ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Learned useEffect cleanup", "Learned useEffect cleanup"),
        ("  padded\n\n", "padded"),
        ("line one\nline two", "line one\nline two"),
        ("x", "x"),
        ("a" * 2000, "a" * 2000),
        ("  " + "a" * 2000 + "  ", "a" * 2000),
        ("nul\x00byte", "nulbyte"),
    ],
)
def test_validate_note_accepts(raw: str, expected: str) -> None:
    assert validate_note(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "The note is empty"),
        ("   \n\t  ", "The note is empty"),
        ("a" * 2001, "Notes can be up to 2,000 characters; yours has 2,001."),
        ("b" * 2345, "Notes can be up to 2,000 characters; yours has 2,345."),
    ],
)
def test_validate_note_rejects(raw: str, message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        validate_note(raw)


# --- screenshots -----------------------------------------------------------------------------


def screenshot(**overrides: Any) -> ScreenshotMeta:
    """Validate a typical image document's metadata, with ``overrides``."""
    values: dict[str, Any] = {
        "file_name": "shot.png",
        "file_id": "AgACAgIAAxkBAAI",
        "file_unique_id": "AQADs7ExG",
        "uploaded_at": NOW,
        "file_size": 123_456,
        "mime_type": "image/png",
        "width": 1280,
        "height": 720,
    } | overrides
    return validate_screenshot(**values)


def test_validate_screenshot_keeps_metadata() -> None:
    meta = screenshot()
    assert meta == ScreenshotMeta(
        file_name="shot.png",
        file_size=123_456,
        mime_type="image/png",
        width=1280,
        height=720,
        storage="telegram",
        file_id="AgACAgIAAxkBAAI",
        file_unique_id="AQADs7ExG",
        uploaded_at=NOW,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Screenshot 2024-05-01 at 10.00.00.png", "Screenshot 2024-05-01 at 10.00.00.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\Users\\me\\Desktop\\shot.jpg", "shot.jpg"),
        ("/absolute/path/shot.png", "shot.png"),
        ("bad\x00na\nme\x7f.png", "badname.png"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("  spaced.png  ", "spaced.png"),
        ("Скриншот 🎉.webp", "Скриншот 🎉.webp"),
        ("a" * 300 + ".png", "a" * 251 + ".png"),
        ("b" * 300, "b" * 255),
    ],
)
def test_screenshot_file_name_is_sanitised(raw: str, expected: str) -> None:
    assert screenshot(file_name=raw).file_name == expected


@pytest.mark.parametrize("raw", ["", "   ", None, "\x00\x01", "../", "..", ".", "dir/", "\u202e"])
def test_screenshot_without_usable_file_name_is_refused(raw: str | None) -> None:
    with pytest.raises(DomainError, match="A screenshot needs a file name"):
        screenshot(file_name=raw)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"file_size": -1}, "file_size"),
        ({"width": -5}, "width"),
        ({"file_id": ""}, "file_id"),
        ({"file_unique_id": "  "}, "file_unique_id"),
        ({"uploaded_at": datetime(2024, 5, 1, 12, 0)}, "uploaded_at"),
        ({"storage": ""}, "storage"),
    ],
)
def test_screenshot_bad_metadata_is_refused(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError, match=f"screenshot details are not valid \\({field}"):
        screenshot(**overrides)


def test_screenshot_optional_fields_and_normalisation() -> None:
    kyiv = timezone(timedelta(hours=3))
    meta = screenshot(
        file_size=None,
        mime_type=" Image/JPEG ",
        width=None,
        height=None,
        uploaded_at=datetime(2024, 5, 1, 15, 0, tzinfo=kyiv),
    )
    assert meta.mime_type == "image/jpeg"
    assert (meta.file_size, meta.width, meta.height) == (None, None, None)
    assert meta.uploaded_at == NOW
    assert meta.uploaded_at.tzinfo is UTC
    assert screenshot(mime_type="").mime_type is None


def test_screenshot_meta_is_frozen() -> None:
    meta = screenshot()
    with pytest.raises(ValueError, match="frozen"):
        meta.file_name = "other.png"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("file_unique_id", "expected"),
    [
        ("AQADs7ExG2wF", "photo_AQADs7ExG2wF.jpg"),
        ("AQAD-_x9", "photo_AQAD-_x9.jpg"),
        ("../../x", "photo_x.jpg"),
        ("a/b\\c\x00d e", "photo_abcde.jpg"),
        ("", "photo.jpg"),
    ],
)
def test_photo_file_name(file_unique_id: str, expected: str) -> None:
    assert photo_file_name(file_unique_id) == expected


@pytest.mark.parametrize(
    ("mime_type", "file_name", "expected"),
    [
        ("image/jpeg", "a.jpg", True),
        ("image/png", None, True),
        ("image/webp", "sticker.webp", True),
        ("image/gif", "anim.gif", True),
        ("image/heic", "IMG_0001.HEIC", True),
        ("IMAGE/PNG; charset=binary", "x", True),
        ("image/svg+xml", "drawing.svg", False),
        ("application/pdf", "notes.pdf", False),
        ("application/pdf", "fake.png", False),  # a known MIME type wins over the name
        ("text/csv", "export.csv", False),
        (None, "photo.JPG", True),
        (None, "scan.jpeg", True),
        ("application/octet-stream", "shot.png", True),
        ("application/octet-stream", "archive.zip", False),
        ("", "pic.webp", True),
        (None, "../../shot.heic", True),
        (None, "no_extension", False),
        (None, None, False),
        (None, "", False),
    ],
)
def test_is_image_document(mime_type: str | None, file_name: str | None, expected: bool) -> None:
    assert is_image_document(mime_type, file_name) is expected


# --- evidence kind and input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("link", EvidenceKind.LINK),
        ("Note", EvidenceKind.NOTE),
        (" SCREENSHOT ", EvidenceKind.SCREENSHOT),
        ("Voice", EvidenceKind.VOICE),
        ("video note", EvidenceKind.VIDEO_NOTE),
        ("document", EvidenceKind.DOCUMENT),
    ],
)
def test_parse_evidence_kind(raw: str, expected: EvidenceKind) -> None:
    assert parse_evidence_kind(raw) is expected


@pytest.mark.parametrize("raw", ["", "hologram", "links"])
def test_parse_evidence_kind_rejects(raw: str) -> None:
    with pytest.raises(
        DomainError,
        match=re.escape(
            "Evidence type must be one of: link, note, screenshot, voice, audio, video, "
            "video_note, document."
        ),
    ):
        parse_evidence_kind(raw)


def test_evidence_input_link_is_validated_and_normalised() -> None:
    evidence = validate_evidence("link", practice_log_id=7, url=" https://Example.com ")
    assert evidence == EvidenceInput(
        kind=EvidenceKind.LINK, practice_log_id=7, url="https://example.com/"
    )


def test_evidence_input_note_and_screenshot() -> None:
    note = validate_evidence(EvidenceKind.NOTE, skill_id=3, note="  Key takeaway  ")
    assert (note.kind, note.note, note.skill_id, note.practice_log_id) == (
        "note",
        "Key takeaway",
        3,
        None,
    )
    meta = screenshot()
    shot = validate_evidence("screenshot", practice_log_id=1, skill_id=2, screenshot=meta)
    assert shot.screenshot == meta


def test_a_link_or_a_file_carries_a_description_and_where_it_was_forwarded_from() -> None:
    link = validate_evidence(
        "link", skill_id=1, url="https://a.com", note="  Our post  ", source="Dev\u202e  News\n"
    )
    assert (link.url, link.note, link.source) == ("https://a.com/", "Our post", "Dev News")
    shot = validate_evidence("screenshot", skill_id=1, screenshot=screenshot(), note="Login page")
    assert shot.note == "Login page"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "link", "url": "https://a.com"}, "attached to a practice session or a skill"),
        ({"kind": "link", "practice_log_id": 1}, "missing a link"),
        ({"kind": "note", "skill_id": 1}, "missing the note's text"),
        ({"kind": "screenshot", "skill_id": 1}, "missing the screenshot's details"),
        ({"kind": "link", "skill_id": 1, "note": "hi"}, "missing a link"),
        (
            {"kind": "note", "skill_id": 1, "note": "hi", "url": "https://a.com"},
            "can't also carry link",
        ),
        ({"kind": "link", "skill_id": 1, "url": "javascript:alert(1)"}, SCHEME_MESSAGE),
        ({"kind": "note", "skill_id": 1, "note": "   "}, "The note is empty"),
        ({"kind": "note", "skill_id": 1, "note": "a" * 2001}, "yours has 2,001"),
        ({"kind": "hologram", "skill_id": 1, "url": "https://a.com"}, "Evidence type must be"),
        ({"kind": "link", "skill_id": 0, "url": "https://a.com"}, "evidence details are not valid"),
        ({"kind": "link", "practice_log_id": -3, "url": "https://a.com"}, "practice_log_id"),
    ],
)
def test_evidence_input_rejects_mismatches(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        validate_evidence(**kwargs)


def test_evidence_input_screenshot_kind_needs_meta_not_a_dict_of_junk() -> None:
    with pytest.raises(DomainError, match="A screenshot needs a file name"):
        validate_evidence(
            "screenshot",
            skill_id=1,
            screenshot={
                "file_name": "../",
                "file_id": "x",
                "file_unique_id": "y",
                "uploaded_at": NOW,
            },  # type: ignore[arg-type]
        )

"""Evidence of practice: link extraction and validation for links, notes and screenshot metadata.

Pure: no Telegram or database types. Handlers convert ``telegram.MessageEntity`` to
:class:`TextEntity` and photos/documents to keyword arguments of :func:`validate_screenshot`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated, Final

from pydantic import (
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.domain.errors import DomainError
from bot.domain.history import SessionRow

MAX_LINK_LENGTH: Final = 2048
MAX_NOTE_LENGTH: Final = 2000
MAX_FILE_NAME_LENGTH: Final = 255
MAX_SOURCE_LENGTH: Final = 255

#: MIME types accepted as screenshots when sent as a document (raster images only: an SVG is
#: a script-capable document, not a screenshot).
IMAGE_MIME_TYPES: Final = frozenset(
    {
        "image/jpeg",
        "image/pjpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/heic",
        "image/heif",
        "image/avif",
        "image/bmp",
        "image/tiff",
    }
)
#: File extensions trusted only when Telegram gives no useful MIME type.
IMAGE_EXTENSIONS: Final = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".png",
        ".webp",
        ".gif",
        ".heic",
        ".heif",
        ".avif",
        ".bmp",
        ".tif",
        ".tiff",
    }
)
# Clients send these when they don't know the type, so the extension is the better signal.
_UNKNOWN_MIME_TYPES: Final = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_HTTP_URL: Final = TypeAdapter(AnyHttpUrl)
# A scheme is "letters:" not followed by a digit, so "example.com:8080/x" counts as scheme-less.
_SCHEME_RE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?!\d)")
_HAS_SCHEME_RE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_UNSAFE_ID_CHARS_RE: Final = re.compile(r"[^A-Za-z0-9_-]")
# Cc: control characters; Cf: format characters such as U+202E, which can make
# "gpj.exe" display as "exe.jpg"; Cs/Zl/Zp: lone surrogates and line/paragraph separators.
_STRIPPED_NAME_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class EvidenceKind(StrEnum):
    """What a piece of evidence is."""

    LINK = "link"
    NOTE = "note"
    SCREENSHOT = "screenshot"
    VOICE = "voice"
    AUDIO = "audio"
    VIDEO = "video"
    VIDEO_NOTE = "video_note"
    DOCUMENT = "document"

    @property
    def is_file(self) -> bool:
        """Whether this kind is a file kept on Telegram's servers (only metadata is stored)."""
        return self not in (EvidenceKind.LINK, EvidenceKind.NOTE)


#: Kinds that are files: a picture, a recording or a document (metadata only).
FILE_KINDS: Final = frozenset(kind for kind in EvidenceKind if kind.is_file)
#: Recordings, whose metadata includes a duration.
RECORDING_KINDS: Final = frozenset(
    {EvidenceKind.VOICE, EvidenceKind.AUDIO, EvidenceKind.VIDEO, EvidenceKind.VIDEO_NOTE}
)


def parse_evidence_kind(value: str) -> EvidenceKind:
    """Read an evidence type such as ``"Link"`` case-insensitively."""
    try:
        return EvidenceKind(value.strip().lower().replace(" ", "_"))
    except ValueError:
        names = ", ".join(kind.value for kind in EvidenceKind)
        raise DomainError(f"Evidence type must be one of: {names}.") from None


@dataclass(frozen=True, slots=True)
class TextEntity:
    """A message entity as Telegram sends it; offset and length count UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None


def _utf16_slice(encoded: bytes, offset: int, length: int) -> str:
    """Return the text between two UTF-16 code-unit positions of UTF-16-LE ``encoded`` text."""
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="replace")


def extract_links(text: str | None, entities: Sequence[TextEntity]) -> list[str]:
    """Return the URLs of ``url`` and ``text_link`` entities in order, without duplicates."""
    encoded = text.encode("utf-16-le", errors="surrogatepass") if text else b""
    links: list[str] = []
    # Telegram sends entities sorted by offset, but nothing enforces it for hand-built lists.
    for entity in sorted(entities, key=lambda e: e.offset):
        link: str | None = None
        if entity.type == "url" and encoded and entity.offset >= 0 and entity.length > 0:
            link = _utf16_slice(encoded, entity.offset, entity.length).strip()
            # Telegram auto-links bare domains such as "example.com" and opens them over http.
            if link and not _HAS_SCHEME_RE.match(link):
                link = f"http://{link}"
        elif entity.type == "text_link" and entity.url:
            link = entity.url.strip()
        if link and link not in links:
            links.append(link)
    return links


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def validate_link(url: str) -> str:
    """Check that ``url`` is an absolute http(s) link and return its canonical form.

    The canonical form is pydantic's (WHATWG) serialisation: scheme and host are lower-cased,
    an empty path becomes ``/`` (``https://example.com`` -> ``https://example.com/``, the same
    URL), international hosts become punycode and non-ASCII path characters are
    percent-encoded. Path, query and fragment are otherwise kept as typed.
    """
    candidate = url.strip()
    if not candidate:
        raise DomainError("The link is empty. Send a full link such as https://example.com.")
    if len(candidate) > MAX_LINK_LENGTH:
        raise DomainError(
            f"That link is {len(candidate):,} characters long; the limit is {MAX_LINK_LENGTH:,}."
        )
    if any(char.isspace() for char in candidate):
        raise DomainError("Links can't contain spaces. Check the link and send it again.")
    if _has_control_characters(candidate):
        raise DomainError("That link contains invisible control characters. Send it again.")
    scheme = _SCHEME_RE.match(candidate)
    if scheme is None:
        raise DomainError(
            "That link needs to start with http:// or https://, for example https://example.com."
        )
    if scheme.group(1).lower() not in {"http", "https"}:
        raise DomainError("Only http and https links can be saved as evidence.")
    try:
        parsed = _HTTP_URL.validate_python(candidate)
    except ValidationError as exc:
        raise DomainError(_describe_url_error(exc)) from None
    normalised = str(parsed)
    if len(normalised) > MAX_LINK_LENGTH:
        raise DomainError(
            f"That link is {len(normalised):,} characters long once encoded for the web; "
            f"the limit is {MAX_LINK_LENGTH:,}."
        )
    return normalised


def _describe_url_error(exc: ValidationError) -> str:
    """Turn pydantic's URL error into a message for the user."""
    error = exc.errors()[0]
    if error["type"] == "url_scheme":
        return "Only http and https links can be saved as evidence."
    reason = str((error.get("ctx") or {}).get("error", "")).strip()
    if reason == "empty host":
        return "That link has no website address after http:// or https://."
    if reason == "relative URL without a base":
        return "That link needs to start with http:// or https://, for example https://example.com."
    if reason:
        return f"That doesn't look like a valid web link ({reason})."
    return "That doesn't look like a valid web link."


def validate_note(text: str) -> str:
    """Return the trimmed note, which must be 1-2000 characters long."""
    # PostgreSQL text columns cannot hold NUL, and it is invisible anyway.
    note = text.replace("\x00", "").strip()
    if not note:
        raise DomainError("The note is empty. Write what you learned or practised.")
    if len(note) > MAX_NOTE_LENGTH:
        raise DomainError(
            f"Notes can be up to {MAX_NOTE_LENGTH:,} characters; yours has {len(note):,}."
        )
    return note


def _sanitize_file_name(raw: str) -> str:
    """Return the untrusted ``raw`` name as a bare file name fit to store and display."""
    # Keep only the last path component: a name is never a path ("../../etc/passwd" -> "passwd").
    name = re.split(r"[/\\]", raw)[-1]
    name = "".join(
        char for char in name if unicodedata.category(char) not in _STRIPPED_NAME_CATEGORIES
    ).strip()
    if name in {"", ".", ".."}:
        return ""
    if len(name) > MAX_FILE_NAME_LENGTH:
        # Truncate rather than refuse: the name came from the user's device and the
        # extension is the part worth keeping.
        suffix = PurePosixPath(name).suffix
        if not 1 < len(suffix) <= 16:
            suffix = ""
        name = name[: MAX_FILE_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return name


def clean_source(raw: str) -> str | None:
    """A forwarded message's origin (channel title, person's name) fit to store, or None."""
    name = "".join(
        char for char in raw if unicodedata.category(char) not in _STRIPPED_NAME_CATEGORIES
    )
    name = " ".join(name.split())
    if len(name) > MAX_SOURCE_LENGTH:
        name = name[: MAX_SOURCE_LENGTH - 1].rstrip() + "…"
    return name or None


def photo_file_name(file_unique_id: str) -> str:
    """Return the generated name of a Telegram photo, ``photo_<file_unique_id>.jpg``."""
    return generated_file_name("photo", file_unique_id, "jpg")


def generated_file_name(prefix: str, file_unique_id: str, extension: str) -> str:
    """A name for a file Telegram sends without one: ``voice_<file_unique_id>.ogg``."""
    safe_id = _UNSAFE_ID_CHARS_RE.sub("", file_unique_id)[: MAX_FILE_NAME_LENGTH - 32]
    return f"{prefix}_{safe_id}.{extension}" if safe_id else f"{prefix}.{extension}"


def _normalise_mime_type(mime_type: str | None) -> str:
    if not mime_type:
        return ""
    return mime_type.split(";", 1)[0].strip().lower()


def is_image_document(mime_type: str | None, file_name: str | None) -> bool:
    """Tell whether a document is a raster image, by MIME type or, if that is unknown, extension."""
    mime = _normalise_mime_type(mime_type)
    if mime not in _UNKNOWN_MIME_TYPES:
        return mime in IMAGE_MIME_TYPES
    if not file_name:
        return False
    return PurePosixPath(_sanitize_file_name(file_name)).suffix.lower() in IMAGE_EXTENSIONS


_NonEmptyId = Annotated[str, Field(min_length=1, max_length=255)]


class ScreenshotMeta(BaseModel):
    """Metadata of a file (a screenshot, a recording, a document) kept on Telegram's servers;
    the bytes are never stored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    file_name: str
    file_size: Annotated[int, Field(ge=0)] | None = None
    mime_type: Annotated[str, Field(max_length=255)] | None = None
    width: Annotated[int, Field(ge=0)] | None = None
    height: Annotated[int, Field(ge=0)] | None = None
    duration_seconds: Annotated[int, Field(ge=0)] | None = None
    storage: Annotated[str, Field(min_length=1, max_length=32)] = "telegram"
    file_id: _NonEmptyId
    file_unique_id: _NonEmptyId
    uploaded_at: AwareDatetime

    @field_validator("file_name", mode="before")
    @classmethod
    def _clean_file_name(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        name = _sanitize_file_name(value)
        if not name:
            raise DomainError("A screenshot needs a file name, and this one has none we can use.")
        return name

    @field_validator("mime_type", mode="before")
    @classmethod
    def _clean_mime_type(cls, value: object) -> object:
        if value is None or not isinstance(value, str):
            return value
        return _normalise_mime_type(value) or None

    @field_validator("uploaded_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


def _domain_error(exc: ValidationError, what: str) -> DomainError:
    """Return the DomainError raised inside a validator, or describe pydantic's first error."""
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, DomainError):
            return cause
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "value"
    return DomainError(f"The {what} details are not valid ({field}: {error['msg']}).")


def validate_screenshot(
    *,
    file_name: str | None,
    file_id: str,
    file_unique_id: str,
    uploaded_at: datetime,
    file_size: int | None = None,
    mime_type: str | None = None,
    width: int | None = None,
    height: int | None = None,
    storage: str = "telegram",
    duration_seconds: int | None = None,
) -> ScreenshotMeta:
    """Build a file's metadata from untrusted values, sanitising the file name."""
    try:
        return ScreenshotMeta(
            file_name=file_name or "",
            file_size=file_size,
            mime_type=mime_type,
            width=width,
            height=height,
            duration_seconds=duration_seconds,
            storage=storage,
            file_id=file_id,
            file_unique_id=file_unique_id,
            uploaded_at=uploaded_at,
        )
    except ValidationError as exc:
        raise _domain_error(exc, "screenshot") from None


class EvidenceInput(BaseModel):
    """One piece of evidence to save, with content matching its kind and a target to attach to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: EvidenceKind
    practice_log_id: PositiveInt | None = None
    skill_id: PositiveInt | None = None
    url: str | None = None
    # The text of a note; on a link or a file, what the user said about it (a caption).
    note: str | None = None
    screenshot: ScreenshotMeta | None = None
    # Where a forwarded message came from: a channel's title or a person's name.
    source: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _clean_source(cls, value: object) -> object:
        return clean_source(value) if isinstance(value, str) else value

    @field_validator("kind", mode="before")
    @classmethod
    def _parse_kind(cls, value: object) -> object:
        return parse_evidence_kind(value) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        return None if value is None else validate_link(value)

    @field_validator("note")
    @classmethod
    def _check_note(cls, value: str | None) -> str | None:
        return None if value is None else validate_note(value)

    @model_validator(mode="after")
    def _check_content_and_target(self) -> EvidenceInput:
        if self.practice_log_id is None and self.skill_id is None:
            raise DomainError("Evidence must be attached to a practice session or a skill.")
        # What each kind must carry: a link, a note's text, or a file's details.
        content: dict[str, object] = {
            "link": self.url,
            "note": self.note,
            "file": self.screenshot,
        }
        needs = self.kind.value if not self.kind.is_file else "file"
        if content[needs] is None:
            missing = {
                "link": "a link",
                "note": "the note's text",
                "file": f"the {'screenshot' if self.kind is EvidenceKind.SCREENSHOT else 'file'}'s"
                " details",
            }[needs]
            raise DomainError(f"This {self.kind} evidence is missing {missing}.")
        # A note may describe a link or a file, so only a second link or file is extra.
        extra = [
            ("screenshot" if name == "file" else name)
            for name, value in content.items()
            if name not in (needs, "note") and value is not None
        ]
        if extra:
            raise DomainError(
                f"A {self.kind} evidence can't also carry {' and '.join(extra)} content; "
                "save each piece separately."
            )
        return self


def validate_evidence(
    kind: EvidenceKind | str,
    *,
    practice_log_id: int | None = None,
    skill_id: int | None = None,
    url: str | None = None,
    note: str | None = None,
    screenshot: ScreenshotMeta | None = None,
    source: str | None = None,
) -> EvidenceInput:
    """Build an :class:`EvidenceInput`, raising :class:`DomainError` with the first problem."""
    try:
        return EvidenceInput.model_validate(
            {
                "kind": kind,
                "practice_log_id": practice_log_id,
                "skill_id": skill_id,
                "url": url,
                "note": note,
                "screenshot": screenshot,
                "source": source,
            }
        )
    except ValidationError as exc:
        raise _domain_error(exc, "evidence") from None


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One piece of evidence with the session it is attached to (None: skill-level)."""

    id: int
    kind: str
    skill_id: int
    skill_name: str
    url: str | None
    note: str | None
    file_name: str | None
    file_size: int | None
    mime_type: str | None
    width: int | None
    height: int | None
    file_id: str | None
    file_unique_id: str | None
    created_at: datetime
    session: SessionRow | None
    duration_seconds: int | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SkillEvidenceCount:
    """A skill that has evidence, and how much."""

    skill_id: int
    name: str
    count: int

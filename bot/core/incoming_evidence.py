"""Reading evidence out of a Telegram message: links from entities, photos, image files, notes.

Shared by the evidence handlers and by /log (a photo captioned "/log ..."), so it lives here
rather than in one feature's handler package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from telegram import (
    Audio,
    Document,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    PhotoSize,
    Video,
    VideoNote,
    Voice,
)
from telegram.ext import filters

from bot.domain.errors import DomainError
from bot.domain.evidence import (
    MAX_NOTE_LENGTH,
    EvidenceKind,
    ScreenshotMeta,
    TextEntity,
    clean_source,
    extract_links,
    generated_file_name,
    is_image_document,
    photo_file_name,
    validate_link,
    validate_note,
    validate_screenshot,
)
from bot.domain.import_format.intake import has_import_caption, is_import_document
from bot.services.evidence import Pending
from bot.ui.evidence import shorten

MAX_BATCH = 20
ACCEPTED = (
    "As evidence I take links, notes (text), screenshots and photos, voice messages, audio, "
    "videos, video notes and documents such as PDFs."
)


class Mode(StrEnum):
    """How to read a message: what plain text means at this step."""

    ANY = "any"  # plain text is a note
    NOTE = "note"  # all text is a note, links included
    LINK = "link"  # text must carry links
    SHOT = "shot"  # a picture is expected
    BATCH = "batch"  # waiting for a target: only links and pictures join the batch


class _ImageDocument(filters.MessageFilter):
    """A document that is a raster image by MIME type (or, if unknown, by extension)."""

    def filter(self, message: Message) -> bool:
        doc = message.document
        return doc is not None and is_image_document(doc.mime_type, doc.file_name)


IMAGE_DOCUMENT = _ImageDocument(name="ImageDocument")


class _EvidenceDocument(filters.MessageFilter):
    """Any other document (a PDF, an archive) unless it is a spreadsheet or export for /import."""

    def filter(self, message: Message) -> bool:
        doc = message.document
        if doc is None or is_image_document(doc.mime_type, doc.file_name):
            return False
        return not has_import_caption(message.caption) and not is_import_document(
            doc.file_name, doc.mime_type
        )


EVIDENCE_DOCUMENT = _EvidenceDocument(name="EvidenceDocument")
#: Messages outside conversations that are evidence: pictures, anything with a link, and
#: forwarded text (a note that keeps where it came from).
EVIDENCE_MESSAGES = (
    filters.UpdateType.MESSAGE
    & ~filters.COMMAND
    & (
        filters.PHOTO
        | IMAGE_DOCUMENT
        | EVIDENCE_DOCUMENT
        | filters.VOICE
        | filters.AUDIO
        | filters.VIDEO
        | filters.VIDEO_NOTE
        | filters.Entity("url")
        | filters.Entity("text_link")
        | (filters.FORWARDED & filters.TEXT)
    )
)
#: A picture (or file) whose caption is a /log command: log the session, attach the picture.
LOG_CAPTION = (
    filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
) & filters.CaptionRegex(r"^/log(?:@\w+)?(?:\s|$)")


@dataclass(slots=True)
class Collected:
    """What a message held: valid pieces, and a specific message for each refused one."""

    items: list[Pending] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, item: Pending) -> None:
        """Keep a piece unless an equal one is already in this message."""
        if all(existing.key != item.key for existing in self.items):
            self.items.append(item)


def _largest(photo: tuple[PhotoSize, ...]) -> PhotoSize:
    # Telegram lists sizes smallest first; compare anyway rather than trust the order.
    return max(photo, key=lambda p: (p.width * p.height, p.file_size or 0))


def origin(message: Message) -> str | None:
    """Where a forwarded message came from: the channel's or chat's title, or a name."""
    source = message.forward_origin
    name: str | None = None
    if isinstance(source, MessageOriginChannel):
        name = source.chat.title
    elif isinstance(source, MessageOriginChat):
        name = source.sender_chat.title
    elif isinstance(source, MessageOriginUser):
        name = source.sender_user.full_name
    elif isinstance(source, MessageOriginHiddenUser):
        name = source.sender_user_name
    return clean_source(name) if name else None


def _description(text: str | None, found: Collected) -> str | None:
    """What the user (or a forwarded post) says about a piece: kept whole up to a note's size."""
    if not text or not text.strip():
        return None
    flat = text.replace("\x00", "").strip()
    if len(flat) > MAX_NOTE_LENGTH:
        found.problems.append(f"I kept the first {MAX_NOTE_LENGTH:,} characters of the text.")
        flat = flat[: MAX_NOTE_LENGTH - 1].rstrip() + "…"
    return validate_note(flat)


def _file(message: Message, found: Collected, *, caption: bool = True) -> None:
    """Keep the message's picture, recording or document (its metadata), or note why not.

    Its caption, if any, is the file's description: one piece, not a file and a note.
    """
    try:
        kind, meta = _file_meta(message)
    except DomainError as exc:
        found.problems.append(str(exc))
        return
    note = _description(message.caption, found) if caption else None
    found.add(Pending(kind, screenshot=meta, note=note, source=origin(message)))


_Sized = PhotoSize | Document | Voice | Audio | Video | VideoNote


def _file_meta(message: Message) -> tuple[EvidenceKind, ScreenshotMeta]:
    """The kind and details of the message's file; DomainError if it carries none we keep."""
    file: _Sized
    kind = EvidenceKind.SCREENSHOT
    name: str | None = None
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    if message.photo:
        file = _largest(message.photo)
        name, mime = photo_file_name(file.file_unique_id), "image/jpeg"
        width, height = file.width, file.height
    elif message.document is not None:
        file = message.document
        name, mime = file.file_name, file.mime_type
        # Telegram gives no pixel size for files (a thumbnail's is not the picture's).
        if not is_image_document(file.mime_type, file.file_name):
            kind = EvidenceKind.DOCUMENT
            name = name or generated_file_name("document", file.file_unique_id, "bin")
    elif message.voice is not None:
        file, kind = message.voice, EvidenceKind.VOICE
        name = generated_file_name("voice", file.file_unique_id, "ogg")
        mime, duration = file.mime_type, _seconds(file.duration)
    elif message.audio is not None:
        file, kind = message.audio, EvidenceKind.AUDIO
        name = file.file_name or generated_file_name("audio", file.file_unique_id, "mp3")
        mime, duration = file.mime_type, _seconds(file.duration)
    elif message.video is not None:
        file, kind = message.video, EvidenceKind.VIDEO
        name = file.file_name or generated_file_name("video", file.file_unique_id, "mp4")
        mime, duration = file.mime_type, _seconds(file.duration)
        width, height = file.width, file.height
    elif message.video_note is not None:
        file, kind = message.video_note, EvidenceKind.VIDEO_NOTE
        name = generated_file_name("video_note", file.file_unique_id, "mp4")
        mime, duration = "video/mp4", _seconds(file.duration)
        width = height = file.length  # a video note is a square `length` pixels wide
    else:
        raise DomainError(f"I can't use that here. {ACCEPTED}")
    meta = validate_screenshot(
        file_name=name,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        uploaded_at=message.date,
        file_size=file.file_size,
        mime_type=mime,
        width=width,
        height=height,
        duration_seconds=duration,
    )
    return kind, meta


def _seconds(duration: int | timedelta) -> int:
    """A duration as whole seconds (PTB gives an int or, in newer versions, a timedelta)."""
    if isinstance(duration, timedelta):
        return int(duration.total_seconds())
    return int(duration)


def has_file(message: Message) -> bool:
    """Whether the message carries a file we keep as evidence (a picture, recording, document)."""
    return bool(
        message.photo
        or message.document
        or message.voice
        or message.audio
        or message.video
        or message.video_note
    )


def _note(text: str, found: Collected, *, source: str | None = None) -> None:
    try:
        note = _description(text, found) if source else validate_note(text)
    except DomainError as exc:
        found.problems.append(str(exc))
        return
    if note is not None:
        found.add(Pending(EvidenceKind.NOTE, note=note, source=source))


def _links(message: Message, found: Collected) -> bool:
    """Add the message's links; False if it has none at all.

    A forwarded post keeps its source on each link and its text on the first one."""
    entities = [TextEntity(str(e.type), e.offset, e.length, e.url) for e in message.entities]
    raw_links = extract_links(message.text, entities)
    source = origin(message)
    text = _description(message.text, found) if source is not None and raw_links else None
    for raw in raw_links:
        try:
            url = validate_link(raw)
        except DomainError as exc:
            found.problems.append(f"Skipped {shorten(raw, 60)}: {exc}")
            continue
        found.add(Pending(EvidenceKind.LINK, url=url, note=text, source=source))
        text = None
    return bool(raw_links)


def collect(message: Message, mode: Mode, *, caption: bool = True) -> Collected:
    """Read the evidence in one message, as the current step understands text.

    `caption=False`: the caption is not about the file (it is a command) and is left out."""
    found = Collected()
    if has_file(message):
        _file(message, found, caption=caption)
        return found
    text = message.text
    if text is None:
        found.problems.append(f"I can't use that here. {ACCEPTED}")
        return found
    if mode is Mode.NOTE:
        _note(text, found)
        return found
    if _links(message, found):
        return found
    if mode is Mode.ANY or message.forward_origin is not None:
        _note(text, found, source=origin(message))
    elif mode is Mode.LINK:
        found.problems.append(
            "I couldn't find a link in that. Send a link such as https://example.com, "
            "or tap ✖ Cancel."
        )
    elif mode is Mode.SHOT:
        found.problems.append(
            "I'm waiting for a screenshot: send a photo or an image file, or tap ✖ Cancel."
        )
    return found

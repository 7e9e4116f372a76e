"""Reading evidence out of a Telegram message: links from entities, photos, image files, notes.

Shared by the evidence handlers and by /log (a photo captioned "/log ..."), so it lives here
rather than in one feature's handler package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from telegram import (
    Document,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    PhotoSize,
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
    is_image_document,
    photo_file_name,
    validate_link,
    validate_note,
    validate_screenshot,
)
from bot.services.evidence import Pending
from bot.ui.evidence import shorten

MAX_BATCH = 20
ACCEPTED = (
    "As evidence I take links, notes (text) and screenshots (photos, or image files such as "
    "PNG or JPG)."
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
#: Messages outside conversations that are evidence: pictures, anything with a link, and
#: forwarded text (a note that keeps where it came from).
EVIDENCE_MESSAGES = (
    filters.UpdateType.MESSAGE
    & ~filters.COMMAND
    & (
        filters.PHOTO
        | IMAGE_DOCUMENT
        | filters.Entity("url")
        | filters.Entity("text_link")
        | (filters.FORWARDED & filters.TEXT)
    )
)
#: A picture (or file) whose caption is a /log command: log the session, attach the picture.
LOG_CAPTION = (filters.PHOTO | filters.Document.ALL) & filters.CaptionRegex(
    r"^/log(?:@\w+)?(?:\s|$)"
)


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


def _picture(message: Message, found: Collected, *, caption: bool = True) -> None:
    """Keep the message's photo or image file as a screenshot, or note why it was refused.

    Its caption, if any, is the screenshot's description: one piece, not a picture and a note.
    """
    try:
        meta = _picture_meta(message)
    except DomainError as exc:
        found.problems.append(str(exc))
        return
    note = _description(message.caption, found) if caption else None
    found.add(Pending(EvidenceKind.SCREENSHOT, screenshot=meta, note=note, source=origin(message)))


def _picture_meta(message: Message) -> ScreenshotMeta:
    """The screenshot's details from a photo or an image file; DomainError for any other file."""
    file: PhotoSize | Document
    name: str | None
    mime: str | None
    width: int | None
    height: int | None
    if message.photo:
        file = _largest(message.photo)
        name, mime = photo_file_name(file.file_unique_id), "image/jpeg"
        width, height = file.width, file.height
    else:
        doc = message.document
        if doc is None or not is_image_document(doc.mime_type, doc.file_name):
            label = f"“{shorten(doc.file_name, 40)}”" if doc and doc.file_name else "That file"
            raise DomainError(
                f"{label} isn't an image. {ACCEPTED} Spreadsheets to import go to /import."
            )
        file, name, mime = doc, doc.file_name, doc.mime_type
        # Telegram gives no pixel size for files (a thumbnail's is not the picture's).
        width = height = None
    return validate_screenshot(
        file_name=name,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        uploaded_at=message.date,
        file_size=file.file_size,
        mime_type=mime,
        width=width,
        height=height,
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
    if message.photo or message.document:
        _picture(message, found, caption=caption)
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

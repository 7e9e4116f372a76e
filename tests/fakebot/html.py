"""Telegram's HTML parse mode: text and entities from HTML, or the error Telegram gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.fakebot.common import JSON, utf16_len


class HtmlParseError(ValueError):
    """Telegram refused the HTML: the message mirrors tdlib's wording."""


_HTML_TAGS: dict[str, str] = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_SPACE = " \t\n\r\v\f"
_HTML_MARKUP = re.compile(r"[&<]")
_HTML_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_entity(match: re.Match[str]) -> str | None:
    name, dec, hexa = match.groups()
    if name:
        return _NAMED_ENTITIES[name]
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


@dataclass(slots=True)
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int
    language: str | None = None


class _HtmlScanner:
    """Strict scanner for Telegram's HTML parse mode, modelled on tdlib's parse_html."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.i = 0
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSON] = []

    def at(self, index: int) -> str:
        return f"at byte offset {len(self.src[:index].encode('utf-8'))}"

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def run(self) -> tuple[str, list[JSON]]:
        src = self.src
        while self.i < len(src):
            ch = src[self.i]
            if ch == "&":
                self.entity()
            elif ch == "<":
                if src.startswith("</", self.i):
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                # Plain text up to the next entity or tag goes out in one piece.
                markup = _HTML_MARKUP.search(src, self.i)
                end = markup.start() if markup else len(src)
                self.emit(src[self.i : end])
                self.i = end
        if self.stack:
            name = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), entities

    def entity(self) -> None:
        match = _HTML_ENTITY.match(self.src, self.i)
        decoded = _decode_entity(match) if match else None
        if match is None or decoded is None:
            # tdlib keeps a stray '&' literally; we are stricter so unescaped text is caught.
            raise HtmlParseError(
                f'Unescaped "&" {self.at(self.i)}: use &amp; (the fake is stricter than Telegram)'
            )
        self.emit(decoded)
        self.i = match.end()

    def start_tag(self) -> None:
        src, begin = self.src, self.i
        j = begin + 1
        while j < len(src) and src[j] not in _HTML_SPACE and src[j] != ">":
            j += 1
        if j >= len(src):
            raise HtmlParseError(f"Unclosed start tag {self.at(begin)}")
        name = src[begin + 1 : j].lower()
        if name not in _HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" {self.at(begin)}')
        attrs: dict[str, str] = {}
        while True:
            while j < len(src) and src[j] in _HTML_SPACE:
                j += 1
            if j >= len(src):
                raise HtmlParseError(f"Unclosed start tag {self.at(begin)}")
            if src[j] == ">":
                break
            attr_begin = j
            while j < len(src) and src[j] not in _HTML_SPACE and src[j] not in "=>":
                j += 1
            attr = src[attr_begin:j].lower()
            if not attr:
                raise HtmlParseError(f'Empty attribute name in the tag "{name}" {self.at(begin)}')
            while j < len(src) and src[j] in _HTML_SPACE:
                j += 1
            if j >= len(src) or src[j] != "=":
                if name == "blockquote" and attr == "expandable":
                    attrs[attr] = ""
                    continue
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" {self.at(begin)}'
                )
            j += 1
            while j < len(src) and src[j] in _HTML_SPACE:
                j += 1
            if j >= len(src):
                raise HtmlParseError(f"Unclosed start tag {self.at(begin)}")
            if src[j] in "\"'":
                close = src.find(src[j], j + 1)
                if close < 0:
                    raise HtmlParseError(f"Unclosed start tag {self.at(begin)}")
                raw = src[j + 1 : close]
                j = close + 1
            else:
                value_begin = j
                while j < len(src) and src[j] not in _HTML_SPACE and src[j] != ">":
                    j += 1
                raw = src[value_begin:j]
            attrs[attr] = _HTML_ENTITY.sub(lambda m: _decode_entity(m) or m.group(0), raw)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" {self.at(begin)}')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError(
                f"Custom emoji entity must contain a valid custom emoji identifier {self.at(begin)}"
            )
        self.stack.append(_OpenTag(name, attrs, self.pos16))
        self.i = j + 1

    def end_tag(self) -> None:
        src, begin = self.src, self.i
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag {self.at(begin)}")
        j = begin + 2
        while j < len(src) and src[j] not in _HTML_SPACE and src[j] != ">":
            j += 1
        end_name = src[begin + 2 : j].lower()
        while j < len(src) and src[j] in _HTML_SPACE:
            j += 1
        if j >= len(src) or src[j] != ">":
            raise HtmlParseError(f"Unclosed end tag {self.at(begin)}")
        tag = self.stack.pop()
        if end_name and end_name != tag.name:
            raise HtmlParseError(
                f'Unmatched end tag {self.at(begin)}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        self.i = j + 1
        self.close(tag)

    def close(self, tag: _OpenTag) -> None:
        length = self.pos16 - tag.start
        kind = _HTML_TAGS[tag.name]
        entity: JSON = {"type": kind, "offset": tag.start, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            if not href:
                return
            entity["url"] = href
        elif tag.name == "code":
            css = tag.attrs.get("class", "")
            parent = self.stack[-1] if self.stack else None
            if parent and parent.name == "pre" and css.startswith("language-"):
                parent.language = css.removeprefix("language-")
                return
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        if length > 0:
            self.entities.append(entity)


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Turn Telegram HTML into (plain text, entities) like the Bot API, or raise HtmlParseError."""
    return _HtmlScanner(source).run()

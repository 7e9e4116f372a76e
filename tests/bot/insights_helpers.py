"""Helpers for the /progress, /stats and /streak tests: seed sessions, read back sent charts."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from storage.models import PracticeLog
from tests.fakebot import ApiCall, FakeBotApi
from tests.support import UnitOfWorkFactory

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def session_count(uow_factory: UnitOfWorkFactory) -> int:
    """How many practice_logs rows exist (to show that looking changes nothing)."""
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(PracticeLog)) or 0)


def photo_png(api: FakeBotApi, call: ApiCall) -> bytes:
    """The bytes of the photo a sendPhoto call uploaded."""
    return api.file_bytes(call.params["photo"].file_id)


def png_size(data: bytes) -> tuple[int, int]:
    """Decode a PNG fully and return (width, height); fails on anything that isn't one."""
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def assert_chart(api: FakeBotApi, calls: list[ApiCall], chat_id: int, size: tuple[int, int]) -> str:
    """A chart arrived as one photo after an 'upload_photo' action; returns its caption."""
    methods = [c.method for c in calls]
    photos = [c for c in calls if c.method == "sendPhoto"]
    assert len(photos) == 1, methods
    action = [c for c in calls if c.method == "sendChatAction"]
    assert action and action[0].params["action"] == "upload_photo"
    assert methods.index("sendChatAction") < methods.index("sendPhoto")
    photo = photos[0]
    assert photo.ok and photo.chat_id == chat_id
    data = photo_png(api, photo)
    assert png_size(data) == size
    # A real chart, not a blank canvas, and well within what Telegram accepts for photos.
    assert 8_000 < len(data) < 300_000
    caption = photo.params.get("caption", "")
    assert 0 < len(caption) <= 1024
    return str(caption)

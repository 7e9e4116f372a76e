"""The button of the /import preview."""

from __future__ import annotations

from typing import Final

from bot.ui.callbacks.schema import CallbackData, Schema

IMPORT: Final = "imp"


class ImportData(CallbackData, prefix=IMPORT):
    """A button of the /import conversation."""


class ImportGo(ImportData, key=("go",)):
    """[Import N sessions] on the preview."""


IMPORT_BUTTONS: Final = Schema[ImportData](IMPORT, ImportGo)

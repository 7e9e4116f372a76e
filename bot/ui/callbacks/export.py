"""The buttons of /export."""

from __future__ import annotations

from typing import Annotated, Final, Literal

from bot.ui.callbacks.schema import CallbackData, Keyed, Schema, Word

EXPORT: Final = "exp"


class ExportData(CallbackData, prefix=EXPORT):
    """A button of the /export question."""


class ExportAs(ExportData, Keyed, key=()):
    """📄 JSON / 📊 CSV: the action is the format itself."""

    fmt: Annotated[Literal["json", "csv"], Word(("json", "csv"))]


class ExportCancel(ExportData, key=("x",)):
    """✖ Cancel."""


class ExportRetry(ExportData, key=("r",)):
    """🔁 Retry on a failed upload: the same format again."""

    fmt: Annotated[Literal["json", "csv"], Word(("json", "csv"))]


EXPORT_BUTTONS: Final = Schema.of(ExportData)

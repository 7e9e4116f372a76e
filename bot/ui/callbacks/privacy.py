"""The buttons of the /deletemydata confirmation."""

from __future__ import annotations

from typing import Final

from bot.ui.callbacks.schema import CallbackData, Schema

DELETE_DATA: Final = "dmd"


class DeleteDataData(CallbackData, prefix=DELETE_DATA):
    """A button of the /deletemydata question."""


class DeleteDataYes(DeleteDataData, key=("yes",)):
    """🗑 Delete everything."""


class DeleteDataNo(DeleteDataData, key=("no",)):
    """Keep my data."""


DELETE_DATA_BUTTONS: Final = Schema.of(DeleteDataData)

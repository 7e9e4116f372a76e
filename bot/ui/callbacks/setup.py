"""The buttons of /start's set-up and of /timezone: zone buttons, Keep, Skip, date order."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.timezones import COMMON_ZONES
from bot.ui.callbacks.schema import CallbackData, Schema, Word

SETUP: Final = "su"
TIMEZONE: Final = "tz"
# Only the zones the keyboard offers (the list has never changed): anything else in a zone
# button is forged, and is refused as such rather than read as a typed zone name or offset.
Zone = Annotated[str, Word(COMMON_ZONES)]


class SetupData(CallbackData, prefix=SETUP):
    """A button of the /start conversation."""


class SetupZone(SetupData, key=("z",)):
    """A common zone, at the time-zone step."""

    zone: Zone


class SetupKeep(SetupData, key=("keep",)):
    """Keep the current zone, at the time-zone step."""


class SetupSkip(SetupData, key=("skip",)):
    """Skip the first skill."""


class TimezoneData(CallbackData, prefix=TIMEZONE):
    """A button of the /timezone question."""


class TimezoneZone(TimezoneData, key=("z",)):
    """A common zone."""

    zone: Zone


class TimezoneKeep(TimezoneData, key=("keep",)):
    """Keep the current zone."""


class TimezoneDateOrder(TimezoneData, key=("do",)):
    """Read numeric dates like 11/12 day first or month first from now on."""

    order: Annotated[str, Word(("day_first", "month_first"))]


SETUP_BUTTONS: Final = Schema.of(SetupData)
TIMEZONE_BUTTONS: Final = Schema.of(TimezoneData)

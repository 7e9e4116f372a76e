"""The buttons under a /stats message."""

from __future__ import annotations

from typing import Annotated, Final

from bot.domain.reports import StatsPeriod
from bot.ui.callbacks.schema import CallbackData, Schema, Word

STATS: Final = "st"


class StatsData(CallbackData, prefix=STATS):
    """A button of the /stats message."""


class StatsShowPeriod(StatsData, key=("p",)):
    """Week / Month / All time: the same report over another period."""

    period: Annotated[str, Word(tuple(p.value for p in StatsPeriod))]

    @property
    def stats_period(self) -> StatsPeriod:
        """The period as the domain names it."""
        return StatsPeriod(self.period)


class StatsWeeklyChart(StatsData, key=("c", "w")):
    """📊 Weekly chart."""


class StatsMonthlyChart(StatsData, key=("c", "m")):
    """📊 Monthly chart (the all-time view)."""


class StatsHeatmap(StatsData, key=("c", "h")):
    """🗓 Calendar heatmap."""


class StatsClose(StatsData, key=("x",)):
    """✖ Close."""


STATS_BUTTONS: Final = Schema.of(StatsData)

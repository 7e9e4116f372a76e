"""Step tables: a flow's buttons as a table a reader can scan, as PTB's
ConversationHandler(states={...}) is.

Each row says "at this state (or any), this kind of button runs this step". Dispatching is a
lookup: `find` leaves a button with no row to the caller (a double tap, a step already passed);
`run` refuses it as BadCallback (data the bot could not have sent at this point).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.core.runtime import Turn
from bot.ui.callbacks import BadCallback, CallbackData
from storage.models import Conversation

C = TypeVar("C")
D = TypeVar("D", bound=CallbackData)
ANY_STATE = None


@dataclass(frozen=True, slots=True)
class At:
    """A press on a conversation's step message: the turn, and the conversation at that step."""

    turn: Turn
    conv: Conversation


@dataclass(frozen=True, slots=True)
class Step(Generic[C]):
    """One row: the state it applies at (None: any), the button kind, and what it runs."""

    state: str | None
    kind: type[CallbackData]
    run: Callable[[C, Any], Awaitable[None]]


def on(kind: type[D], run: Callable[[C, D], Awaitable[None]], *, at: str | None = None) -> Step[C]:
    """A row of a step table; mypy checks that `run` takes this kind of button."""
    return Step(at, kind, run)


class StepTable(Generic[C]):
    """The rows of one flow, looked up by (state, button kind)."""

    def __init__(self, *rows: Step[C]) -> None:
        self._rows: dict[tuple[str | None, type[CallbackData]], Step[C]] = {}
        for row in rows:
            key = (row.state, row.kind)
            if key in self._rows:
                raise TypeError(f"two steps for {row.kind.__name__} at {row.state!r}")
            self._rows[key] = row

    def find(
        self, pressed: CallbackData, state: str | None = ANY_STATE
    ) -> Callable[[C], Awaitable[None]] | None:
        """The step for this button at `state` (a row for any state applies too), or None."""
        row = self._rows.get((state, type(pressed))) or self._rows.get((ANY_STATE, type(pressed)))
        if row is None:
            return None
        run = row.run
        return lambda context: run(context, pressed)

    async def run(self, context: C, pressed: CallbackData, state: str | None = ANY_STATE) -> None:
        """Run the step for this button at `state`; BadCallback if the table has no row for it."""
        step = self.find(pressed, state)
        if step is None:
            raise BadCallback(f"no step for {pressed!r} at {state!r}")
        await step(context)

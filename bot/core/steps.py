"""Step tables: a flow's buttons as a table a reader can scan, as PTB's
ConversationHandler(states={...}) is.

A table lists step functions: those that apply at any state, and per state (`states=`) those that
apply there. Each step says which kind of button it runs for in its own signature
(`async def _close(turn: Turn, pressed: gl.GoalsClose)`, a union for several kinds); the table
reads the kind from there, so a row cannot name one kind and run a step written for another.

Dispatching is a lookup: `find` leaves a button with no row to the caller (a double tap, a step
already passed); `run` refuses it as BadCallback (data the bot could not have sent at this point).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import UnionType
from typing import Any, Generic, TypeVar

from bot.core.runtime import PtbCallback, Turn, handler
from bot.ui.callbacks import BadCallback, CallbackData, Schema
from storage.models import Conversation

C = TypeVar("C")
D = TypeVar("D", bound=CallbackData)
ANY_STATE = None
StepFn = Callable[[C, Any], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class At:
    """A press on a conversation's step message: the turn, and the conversation at that step."""

    turn: Turn
    conv: Conversation


def pressed_kinds(step: Callable[..., Awaitable[None]]) -> tuple[type[CallbackData], ...]:
    """The button kinds a step runs for: the annotation of its second parameter, the press."""
    params = list(inspect.signature(step).parameters)
    if len(params) != 2:
        raise TypeError(f"{step.__qualname__} should take (context, pressed)")
    hint = typing.get_type_hints(step).get(params[1])
    union = isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union
    kinds = typing.get_args(hint) if union else (hint,)
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, CallbackData)):
            raise TypeError(f"{step.__qualname__}: annotate {params[1]} with its button kinds")
        # Rows are looked up by the pressed button's exact class: a base would never match.
        if kind.__subclasses__():
            raise TypeError(
                f"{step.__qualname__}: {kind.__name__} is a base; name the kinds it runs for"
            )
    return kinds


class StepTable(Generic[C]):
    """The rows of one flow, looked up by (state, button kind)."""

    def __init__(
        self, *anywhere: StepFn[C], states: Mapping[str, Sequence[StepFn[C]]] | None = None
    ) -> None:
        self._rows: dict[tuple[str | None, type[CallbackData]], StepFn[C]] = {}
        self._add(ANY_STATE, anywhere)
        for state, steps in (states or {}).items():
            self._add(state, steps)

    def _add(self, state: str | None, steps: Sequence[StepFn[C]]) -> None:
        for step in steps:
            for kind in pressed_kinds(step):
                if (state, kind) in self._rows:
                    raise TypeError(f"two steps for {kind.__name__} at {state!r}")
                self._rows[(state, kind)] = step

    def kinds(self) -> set[type[CallbackData]]:
        """Every button kind the table has a row for, at any state."""
        return {kind for _, kind in self._rows}

    def find(
        self, pressed: CallbackData, state: str | None = ANY_STATE
    ) -> Callable[[C], Awaitable[None]] | None:
        """The step for this button at `state` (a row for any state applies too), or None."""
        step = self._rows.get((state, type(pressed))) or self._rows.get((ANY_STATE, type(pressed)))
        if step is None:
            return None
        return lambda context: step(context, pressed)

    async def run(self, context: C, pressed: CallbackData, state: str | None = ANY_STATE) -> None:
        """Run the step for this button at `state`; BadCallback if the table has no row for it."""
        step = self.find(pressed, state)
        if step is None:
            raise BadCallback(f"no step for {pressed!r} at {state!r}")
        await step(context)


def button_handler(schema: Schema[D], table: StepTable[Turn]) -> PtbCallback:
    """The @handler of a prefix's stateless buttons: read the press with `schema`, run its row."""
    for kind in table.kinds():
        if schema.prefix != kind.PREFIX:
            raise TypeError(f"{kind.__name__} is not a {schema.prefix!r} button")

    async def pressed(turn: Turn) -> None:
        await table.run(turn, schema.parse(turn.callback()))

    # The wrapper logs the handler by name.
    pressed.__name__ = pressed.__qualname__ = f"{schema.prefix}_button"
    pressed.__doc__ = f"A {schema.prefix!r} button: its step in the table."
    return handler(pressed)

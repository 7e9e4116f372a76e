"""Step tables: each row's button kind is read from its step's `pressed` annotation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

import pytest

from bot.core.steps import StepTable, button_handler, pressed_kinds
from bot.ui.callbacks import BadCallback, CallbackData, Id, Schema

Calls = list[tuple[str, CallbackData]]


class DemoData(CallbackData, prefix="zz"):
    """The test prefix's buttons."""


class DemoOpen(DemoData, key=("o",)):
    """Open an item."""

    item: Id


class DemoClose(DemoData, key=("c",)):
    """Close."""


class DemoBack(DemoData, key=("b",)):
    """« Back."""


class OtherClose(CallbackData, prefix="yy", key=("c",)):
    """A button of another prefix."""


DEMO_BUTTONS: Final = Schema[DemoData]("zz", DemoOpen, DemoClose, DemoBack)


async def _open(calls: Calls, pressed: DemoOpen) -> None:
    calls.append(("open", pressed))


async def _close(calls: Calls, pressed: DemoClose) -> None:
    calls.append(("close", pressed))


async def _back(calls: Calls, pressed: DemoBack) -> None:
    calls.append(("back", pressed))


async def _open_or_close(calls: Calls, pressed: DemoOpen | DemoClose) -> None:
    calls.append(("either", pressed))


async def _close_elsewhere(calls: Calls, pressed: OtherClose) -> None:
    calls.append(("other", pressed))


async def _unannotated(calls: Calls, pressed) -> None:
    calls.append(("?", pressed))


async def _not_a_button(calls: Calls, pressed: int) -> None:
    calls.append(("int", DemoClose()))


async def _any_demo(calls: Calls, pressed: DemoData) -> None:
    calls.append(("base", pressed))


async def _no_press(calls: Calls) -> None:
    calls.append(("none", DemoClose()))


async def test_each_step_runs_for_the_kind_its_signature_names() -> None:
    table = StepTable[Calls](_open, _close, _back)
    calls: Calls = []
    await table.run(calls, DemoClose())
    await table.run(calls, DemoOpen(7))
    await table.run(calls, DemoBack())
    assert calls == [("close", DemoClose()), ("open", DemoOpen(7)), ("back", DemoBack())]
    assert table.kinds() == {DemoOpen, DemoClose, DemoBack}


async def test_a_union_annotation_gives_the_step_a_row_per_kind() -> None:
    assert pressed_kinds(_open_or_close) == (DemoOpen, DemoClose)
    table = StepTable[Calls](_open_or_close)
    calls: Calls = []
    await table.run(calls, DemoOpen(1))
    await table.run(calls, DemoClose())
    assert calls == [("either", DemoOpen(1)), ("either", DemoClose())]
    with pytest.raises(BadCallback):
        await table.run(calls, DemoBack())


async def test_state_rows_apply_at_their_state_and_any_state_rows_everywhere() -> None:
    table = StepTable[Calls](_back, _close, states={"a": (_open,), "b": (_open_or_close,)})
    calls: Calls = []
    assert table.find(DemoOpen(1)) is None
    assert table.find(DemoOpen(1), "c") is None
    found = table.find(DemoOpen(1), "a")
    assert found is not None
    await found(calls)
    # At "b" the state's own row for Close wins over the any-state one.
    await table.run(calls, DemoClose(), "b")
    await table.run(calls, DemoClose(), "a")
    await table.run(calls, DemoBack(), "b")
    assert calls == [
        ("open", DemoOpen(1)),
        ("either", DemoClose()),
        ("close", DemoClose()),
        ("back", DemoBack()),
    ]
    with pytest.raises(BadCallback):
        await table.run(calls, DemoOpen(2), "c")


@pytest.mark.parametrize(
    "step", [_unannotated, _not_a_button, _any_demo, _no_press], ids=lambda s: s.__name__
)
def test_a_step_whose_press_names_no_concrete_kind_is_refused(
    step: Callable[..., Awaitable[None]],
) -> None:
    with pytest.raises(TypeError, match=step.__name__):
        StepTable[Calls](step)


def test_two_steps_for_one_kind_at_one_state_are_refused() -> None:
    with pytest.raises(TypeError, match="two steps for DemoClose at None"):
        StepTable[Calls](_close, _open_or_close)
    with pytest.raises(TypeError, match="two steps for DemoOpen at 'a'"):
        StepTable[Calls](states={"a": (_open, _open_or_close)})
    # The same kind at two states, or at one state and any state, is two rows.
    StepTable[Calls](_open, states={"a": (_open,), "b": (_open,)})


def test_a_button_handler_refuses_a_step_for_another_prefix() -> None:
    table = StepTable[Calls](_close, _close_elsewhere)
    with pytest.raises(TypeError, match="OtherClose is not a 'zz' button"):
        button_handler(DEMO_BUTTONS, table)


def test_a_button_handler_is_named_after_its_prefix() -> None:
    table = StepTable[Calls](_open, _close)
    made = button_handler(DEMO_BUTTONS, table)
    assert made.__name__ == "zz_button"

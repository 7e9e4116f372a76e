"""/timer: a live practice timer with an intention before and a "what's next" after.

The timer's time comes from stored timestamps (bot/domain/timer.py), so any instance, and a
restarted one, shows and saves the same minutes. Stop saves through the same path as /log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable, button_handler
from bot.domain.skills import SkillRef
from bot.domain.timer import parse_timer_args, whole_minutes
from bot.services.practice import ArchivedSkill, UnknownSkill
from bot.services.timer import (
    Started,
    Stopped,
    TimerView,
    discard_timer,
    keep_going,
    pause_timer,
    resume_timer,
    running_timer,
    save_next_focus,
    shown_in,
    start_timer,
    stop_timer,
    timer_skills,
)
from bot.ui import callbacks as cb
from bot.ui.callbacks import BadCallback, Callback
from bot.ui.cards import session_card, session_card_keyboard
from bot.ui.texts import NOT_FOUND, esc, plural
from bot.ui.timer import (
    ALREADY_STOPPED,
    NO_SKILLS,
    capped_line,
    discard_question,
    discarded_text,
    next_focus_question,
    picker_screen,
    stopped_line,
    switch_question,
    timer_keyboard,
    timer_text,
)
from storage.models import Conversation

PREFIX: Final = cb.TIMER


def _argument(text: str) -> str:
    """What follows the command word."""
    parts = text.split(None, 1)
    return parts[1].strip() if len(parts) == 2 else ""


async def _show(
    turn: Turn,
    view: TimerView,
    *,
    fresh: bool,
    next_focus: str | None = None,
    banner: str | None = None,
) -> None:
    """Render the live timer: in the pressed message, or as a fresh one that becomes live."""
    text = timer_text(
        view.skill_name,
        whole_minutes(view.clock.elapsed(turn.now)),
        view.intention,
        paused=view.paused,
        next_focus=next_focus,
        banner=banner,
    )
    keyboard = timer_keyboard(view.timer_id, paused=view.paused)
    if fresh:
        message_id = (await turn.reply(text, keyboard)).message_id
    else:
        message_id = await turn.show(text, keyboard)
    if message_id != view.message_id:
        await shown_in(turn.uow, turn.user_id, view.timer_id, message_id)


async def _picker(turn: Turn, *, fresh: bool, heading: str | None = None) -> None:
    skills = await timer_skills(turn.uow, turn.user_id)
    if not skills:
        text, keyboard = NO_SKILLS, None
    else:
        text, keyboard = picker_screen([SkillRef(s.id, s.name) for s in skills], heading)
    if fresh:
        await turn.reply(text, keyboard)
    else:
        await turn.show(text, keyboard)


async def _start(turn: Turn, skill_id: int, intention: str | None, *, fresh: bool) -> None:
    """Start a timer, or ask what to do with the one already running."""
    try:
        result = await start_timer(
            turn.uow, turn.user_id, turn.chat_id, skill_id, intention, turn.now
        )
    except UnknownSkill:
        await turn.answer(NOT_FOUND)
        return
    except ArchivedSkill as exc:
        await turn.answer(str(exc), alert=True)
        if turn.query is None:
            await turn.reply(esc(exc))
        return
    if isinstance(result, Started):
        await turn.answer("Timer started")
        await _show(turn, result.view, fresh=fresh, next_focus=result.next_focus)
        return
    await _ask_switch(turn, result, skill_id, intention)


async def _ask_switch(turn: Turn, running: TimerView, skill_id: int, intention: str | None) -> None:
    skill = await turn.uow.skills.get(turn.user_id, skill_id)
    new_name = skill.name if skill else "?"
    await turn.answer()
    text, keyboard = switch_question(
        running.skill_name, whole_minutes(running.clock.elapsed(turn.now)), new_name
    )
    old = await turn.load_conversation()
    message = await turn.reply(text, keyboard)
    if old is not None and old.message_id is not None:
        await turn.remove_keyboard(old.message_id)
    data = {"timer_id": running.timer_id, "skill_id": skill_id, "intention": intention}
    await turn.begin(TimerSwitchFlow.name, "switch", data, message_id=message.message_id)


@handler
async def timer_command(turn: Turn) -> None:
    """/timer: show the running timer, or the picker; `/timer guitar scales` starts one."""
    argument = _argument(turn.text)
    if not argument:
        running = await running_timer(turn.uow, turn.user_id)
        if running is None:
            await _picker(turn, fresh=True)
            return
        # Shown again: the user is here, so the guard starts counting afresh.
        seen = await keep_going(turn.uow, turn.user_id, running.timer_id, turn.now)
        await _show(turn, seen or running, fresh=True)
        return
    skills = await timer_skills(turn.uow, turn.user_id)
    if not skills:
        await turn.reply(NO_SKILLS)
        return
    request = parse_timer_args(argument, [(s.id, s.name) for s in skills])
    if len(request.skill_ids) == 1:
        await _start(turn, request.skill_ids[0], request.intention, fresh=True)
        return
    first = esc(argument.split()[0])
    if request.skill_ids:
        names = [SkillRef(s.id, s.name) for s in skills if s.id in request.skill_ids]
        heading = (
            f"Several skills start with “{first}”. Tap one, or send /timer with its full name."
        )
        text, keyboard = picker_screen(names, heading)
        await turn.reply(text, keyboard)
        return
    await _picker(
        turn,
        fresh=True,
        heading=f"I don't know a skill called “{first}”. Add it with /addskill, or pick one:",
    )


async def _stopped(turn: Turn, stopped: Stopped, *, reflect: bool = True) -> None:
    """Show what Stop saved in the pressed message, then ask what's next."""
    logged = stopped.logged
    if logged is None:
        await turn.answer("Nothing saved")
        await turn.show(
            stopped_line(stopped.skill_name, stopped.measured, None)
            + "\n"
            + capped_line(stopped.measured, None, stopped.practiced_on, turn.today)
        )
        return
    log = logged.saved.log
    extra = list(logged.extras)
    if stopped.capped:
        extra.insert(
            0, capped_line(stopped.measured, log.duration_minutes, log.practiced_on, turn.today)
        )
    if stopped.evidence:
        pieces = plural(stopped.evidence, "piece")
        are = "is" if stopped.evidence == 1 else "are"
        extra.append(f"📎 {pieces} of evidence sent during the timer {are} attached.")
    await turn.answer("Saved")
    text = session_card(log, stopped.skill_name, turn.today, heading="⏹ Saved", extra=extra)
    await turn.show(text, session_card_keyboard(log.id, again_skill_id=stopped.skill_id))
    if reflect:
        await _ask_next_focus(turn, stopped.skill_id, stopped.skill_name)


async def _ask_next_focus(turn: Turn, skill_id: int, skill_name: str) -> None:
    old = await turn.load_conversation()
    message = await turn.reply(*next_focus_question(skill_name))
    if old is not None and old.message_id is not None:
        await turn.remove_keyboard(old.message_id)
    await turn.begin(NextFocusFlow.name, "focus", {"skill_id": skill_id}, message.message_id)


async def _gone(turn: Turn) -> None:
    """A button of a timer that has stopped (here or on another instance)."""
    await turn.answer("Already stopped")
    await turn.show(ALREADY_STOPPED)


async def _pressed_timer(turn: Turn, timer_id: int) -> TimerView | None:
    """The running timer this button is for, or None (answered) when it has stopped since."""
    running = await running_timer(turn.uow, turn.user_id)
    if running is None or running.timer_id != timer_id:
        await _gone(turn)
        return None
    return running


async def _save_stop(turn: Turn, timer_id: int, stop_at: datetime | None = None) -> None:
    """Stop the timer and show what was saved, or that it had stopped already."""
    stopped = await stop_timer(
        turn.uow, turn.user_id, turn.timezone, timer_id, turn.now, stop_at=stop_at
    )
    if stopped is None:
        await _gone(turn)
        return
    await _stopped(turn, stopped)


async def _pick(turn: Turn, pressed: cb.TimerPick) -> None:
    """▶️ Start timer (on /quick or a reminder): the running timer, or the picker."""
    running = await running_timer(turn.uow, turn.user_id)
    if running is not None:
        await _show(turn, running, fresh=True)
        return
    await _picker(turn, fresh=False)


async def _start_picked(turn: Turn, pressed: cb.TimerStart) -> None:
    """A skill in the picker: the picker becomes the live timer."""
    await _start(turn, pressed.skill_id, None, fresh=False)


async def _start_again(turn: Turn, pressed: cb.TimerAgain) -> None:
    """▶️ Start timer on a card: the card stays, the timer is a new message."""
    await _start(turn, pressed.skill_id, None, fresh=True)


async def _redraw(turn: Turn, view: TimerView | None, toast: str) -> None:
    """Show the timer as a press left it, or say politely that it is gone."""
    if view is None:
        await _gone(turn)
        return
    await turn.answer(toast)
    await _show(turn, view, fresh=False)


async def _pause(turn: Turn, pressed: cb.TimerPause) -> None:
    """⏸ Pause."""
    await _redraw(
        turn, await pause_timer(turn.uow, turn.user_id, pressed.timer_id, turn.now), "Paused"
    )


async def _resume(turn: Turn, pressed: cb.TimerResume) -> None:
    """▶️ Resume."""
    await _redraw(
        turn, await resume_timer(turn.uow, turn.user_id, pressed.timer_id, turn.now), "Resumed"
    )


async def _keep(turn: Turn, pressed: cb.TimerKeep) -> None:
    """The guard's "Yes, keep going": its question becomes the live timer."""
    await _redraw(
        turn, await keep_going(turn.uow, turn.user_id, pressed.timer_id, turn.now), "Keep going!"
    )


async def _stop(turn: Turn, pressed: cb.TimerStop) -> None:
    """⏹ Stop (or the guard's Stop now): save the measured minutes."""
    await _save_stop(turn, pressed.timer_id)


async def _stop_at_last_seen(turn: Turn, pressed: cb.TimerStopAtLastSeen) -> None:
    """The guard's "Stop at 18:40": save up to when the user was last there."""
    running = await _pressed_timer(turn, pressed.timer_id)
    if running is not None:
        await _save_stop(turn, pressed.timer_id, stop_at=running.last_seen_at)


async def _discard(turn: Turn, pressed: cb.TimerDiscard) -> None:
    """✖ Discard: ask first, nothing is saved."""
    running = await _pressed_timer(turn, pressed.timer_id)
    if running is None:
        return
    elapsed = whole_minutes(running.clock.elapsed(turn.now))
    # A new message: a refresh of the live one must not overwrite the question.
    await turn.reply(*discard_question(running.skill_name, elapsed, running.timer_id))


async def _discard_yes(turn: Turn, pressed: cb.TimerDiscardYes) -> None:
    """Yes, discard."""
    view = await discard_timer(turn.uow, turn.user_id, pressed.timer_id)
    if view is None:
        await _gone(turn)
        return
    await turn.answer("Discarded")
    await turn.show(discarded_text(view.skill_name))


async def _back(turn: Turn, pressed: cb.TimerShow) -> None:
    """« Back from the discard question: it becomes the live timer."""
    running = await _pressed_timer(turn, pressed.timer_id)
    if running is not None:
        await _show(turn, running, fresh=False)


async def _close(turn: Turn, pressed: cb.TimerClose) -> None:
    """✖ Close the picker."""
    await turn.show("Closed. /timer opens it again.")


# Every timer button; ids come from the client, so each is re-checked against the user.
BUTTON_STEPS: Final = StepTable[Turn](
    _pick,
    _start_picked,
    _start_again,
    _pause,
    _resume,
    _keep,
    _stop,
    _stop_at_last_seen,
    _discard,
    _discard_yes,
    _back,
    _close,
)
timer_button: Final = button_handler(cb.TIMER_BUTTONS, BUTTON_STEPS)


class TimerSwitchFlow:
    """A timer is running and another was asked for: stop it, or stop it and start the new one."""

    name = "timer_switch"
    prefix = cb.TIMER_SWITCH
    title = "starting another timer"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """Only the buttons answer this question."""
        await turn.reply("Tap one of the buttons above, or ✖ Cancel to keep the timer running.")

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Stop the running timer; with Go, start the asked-for one after it."""
        pressed = cb.TIMER_SWITCH_BUTTONS.parse(callback)
        await turn.finish()
        stopped = await stop_timer(
            turn.uow, turn.user_id, turn.timezone, int(conv.data["timer_id"]), turn.now
        )
        if stopped is None:
            await turn.answer("Already stopped")
            await turn.show(ALREADY_STOPPED)
        else:
            await _stopped(turn, stopped, reflect=isinstance(pressed, cb.TimerSwitchStop))
        if isinstance(pressed, cb.TimerSwitchGo):
            intention = conv.data.get("intention")
            await _start(
                turn,
                int(conv.data["skill_id"]),
                intention if isinstance(intention, str) else None,
                fresh=True,
            )


class NextFocusFlow:
    """After Stop: "What's next for Guitar?" — typed, or Skip."""

    name = "timer_next"
    prefix = cb.TIMER_NEXT
    title = "the next focus"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """The typed next focus, kept on the skill."""
        if not turn.text:
            await turn.reply("I need your next focus as text (one line), or tap Skip.")
            return
        step_message = conv.message_id
        await turn.finish(commit=False)
        name = await save_next_focus(turn.uow, turn.user_id, int(conv.data["skill_id"]), turn.text)
        await turn.remove_keyboard(step_message)
        focus = await _focus_of(turn, int(conv.data["skill_id"]))
        await turn.reply(
            f"💭 Noted for <b>{esc(name)}</b>: <i>{esc(focus)}</i>\n"
            "I'll show it when you next start a timer or /log it, and in /progress."
        )

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Skip."""
        pressed = cb.TIMER_NEXT_BUTTONS.parse(callback)
        if not isinstance(pressed, cb.TimerNextSkip):
            raise BadCallback("unknown next-focus button")
        await turn.finish()
        await turn.answer("Skipped")
        await turn.show("Skipped. /timer when you're ready for the next one.")


async def _focus_of(turn: Turn, skill_id: int) -> str:
    skill = await turn.uow.skills.get(turn.user_id, skill_id)
    return (skill.next_focus or "") if skill else ""

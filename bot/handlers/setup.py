"""/start, /timezone: registration, time zone and first skill."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.core.runtime import Turn, handler
from bot.core.steps import StepTable
from bot.domain.dates import DateOrder
from bot.domain.errors import DomainError
from bot.domain.timezones import COMMON_ZONES, describe_timezone
from bot.services.onboarding import finish_onboarding, is_onboarded
from bot.services.skills import add_skill
from bot.services.timezone import choose_date_order, date_order, set_timezone
from bot.ui import callbacks as su
from bot.ui.callbacks import Callback, CallbackData
from bot.ui.keyboards import Button, cancel_button, grid, markup, press
from bot.ui.reminders import REMINDERS_BUTTON, REMINDERS_OFFER
from bot.ui.texts import HELP, esc
from storage.models import Conversation

TZ_PROMPT = (
    "Which time zone are you in? It decides what “today” means for your sessions and streaks.\n"
    "Tap one, or type a name like <code>Europe/Berlin</code>, a city like "
    "<code>Tokyo</code>, or an offset like <code>UTC+3</code>."
)
DATE_ORDER_TEXT: Final[dict[DateOrder, str]] = {
    "day_first": "day first: <b>11/12</b> is 11 December",
    "month_first": "month first: <b>11/12</b> is November 12",
}
DATE_ORDER_SWITCH: Final[dict[DateOrder, str]] = {
    "day_first": "📅 Read 11/12 as 11 December",
    "month_first": "📅 Read 11/12 as November 12",
}
NEED_TEXT = "I need a time zone as text, or a tap on one of the buttons above."


def timezone_keyboard(
    zone_button: Callable[[str], CallbackData],
    keep: CallbackData,
    current: str,
    extra: Sequence[Button] = (),
) -> InlineKeyboardMarkup:
    """Common zones (each pressing `zone_button(zone)`), a keep-current button, and Cancel."""
    zones: list[Button] = [
        press(z.split("/")[-1].replace("_", " "), zone_button(z)) for z in COMMON_ZONES
    ]
    rows = [*grid(zones, 3), [press(f"Keep {current}", keep)]]
    if extra:
        rows.append(list(extra))
    return markup([*rows, [cancel_button()]])


async def _set_timezone(turn: Turn, raw: str) -> str:
    zone = await set_timezone(turn.uow, turn.user_id, raw)
    turn.timezone = zone
    return zone


class SetupFlow:
    """The /start conversation: time zone, then the first skill."""

    name = "setup"
    prefix = su.SETUP
    title = "the set-up"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """Typed time zone, or the first skill's name."""
        if not turn.text:
            await turn.reply(
                NEED_TEXT if conv.state == "tz" else "Send the skill's name as text, or tap Skip."
            )
            return
        if conv.state == "tz":
            try:
                zone = await _set_timezone(turn, turn.text)
            except DomainError as exc:
                await turn.reply(esc(exc))
                return
            await _after_timezone(turn, zone, edit=False)
            return
        await turn.finish(commit=False)  # committed with the new skill, or rolled back with it
        await finish_onboarding(turn.uow, turn.user_id, turn.now)
        try:
            skill = await add_skill(turn.uow, turn.user_id, turn.text)
        except DomainError as exc:
            await turn.uow.rollback()
            await turn.reply(f"{esc(exc)}\nSend another name, or tap Skip.")
            return
        await turn.reply(
            f"Added <b>{esc(skill.name)}</b>. You're all set! 🎉\n\n"
            "Log a session with /log (or <code>/log 30m what you did</code>), or tap a "
            "duration in /quick. /help lists everything."
            # Reminders are offered at the end of set-up, with their defaults.
            f"\n\n{REMINDERS_OFFER}",
            REMINDERS_BUTTON,
        )

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Zone buttons and Keep at the time-zone step, Skip at the skill step."""
        await SETUP_STEPS.run(turn, su.SETUP_BUTTONS.parse(callback), conv.state)


async def _after_timezone(turn: Turn, zone: str, *, edit: bool) -> None:
    """Confirm the zone, then ask for the first skill (or finish, for a returning user)."""
    confirm = f"Time zone: <b>{esc(describe_timezone(zone, turn.now))}</b>."
    if await turn.uow.skills.count(turn.user_id) > 0:
        await finish_onboarding(turn.uow, turn.user_id, turn.now)
        await turn.finish()
        text = f"{confirm}\n\nWelcome back! Log with /log or /quick; /help lists everything."
        await (turn.show(text) if edit else turn.reply(text))
        return
    keyboard = markup([[press("Skip", su.SetupSkip()), cancel_button()]])
    text = (
        f"{confirm}\n\nNow, what's the first skill you want to track? "
        "Type its name, e.g. <i>React</i>, <i>Guitar</i> or <i>Spanish</i>."
    )
    message_id = await (turn.show(text, keyboard) if edit else _reply_id(turn, text, keyboard))
    await turn.advance("skill", message_id=message_id)


async def _setup_zone(turn: Turn, pressed: su.SetupZone) -> None:
    """A zone button at /start's time-zone step."""
    await _after_timezone(turn, await _set_timezone(turn, pressed.zone), edit=True)


async def _setup_keep(turn: Turn, pressed: su.SetupKeep) -> None:
    """Keep at /start's time-zone step."""
    await _after_timezone(turn, turn.timezone, edit=True)


async def _setup_skip(turn: Turn, pressed: su.SetupSkip) -> None:
    """Skip the first skill: set-up is done."""
    await finish_onboarding(turn.uow, turn.user_id, turn.now)
    await turn.finish()
    await turn.show(
        "No problem. Add skills any time with /addskill or /skills. /help lists everything."
        f"\n\n{REMINDERS_OFFER}",
        REMINDERS_BUTTON,
    )


SETUP_STEPS: Final = StepTable[Turn](
    states={"tz": (_setup_zone, _setup_keep), "skill": (_setup_skip,)}
)


async def _reply_id(turn: Turn, text: str, keyboard: InlineKeyboardMarkup) -> int:
    return (await turn.reply(text, keyboard)).message_id


class TimezoneFlow:
    """The /timezone conversation."""

    name = "timezone"
    prefix = su.TIMEZONE
    title = "the time zone change"

    async def on_message(self, turn: Turn, conv: Conversation) -> None:
        """A typed zone name or offset."""
        if not turn.text:
            await turn.reply(NEED_TEXT)
            return
        try:
            zone = await _set_timezone(turn, turn.text)
        except DomainError as exc:
            await turn.reply(esc(exc))
            return
        await _timezone_done(turn, zone)

    async def on_callback(self, turn: Turn, conv: Conversation, callback: Callback) -> None:
        """Zone buttons and Keep."""
        await TIMEZONE_STEPS.run(turn, su.TIMEZONE_BUTTONS.parse(callback))


async def _timezone_done(turn: Turn, zone: str, *, changed: bool = True) -> None:
    """Close /timezone and say which zone is in force."""
    await turn.finish()
    verb = "is now" if changed else "stays"
    text = f"Your time zone {verb} <b>{esc(describe_timezone(zone, turn.now))}</b>."
    await (turn.show(text) if turn.query else turn.reply(text))


async def _timezone_zone(turn: Turn, pressed: su.TimezoneZone) -> None:
    """A zone button on /timezone."""
    await _timezone_done(turn, await _set_timezone(turn, pressed.zone))


async def _timezone_keep(turn: Turn, pressed: su.TimezoneKeep) -> None:
    """Keep on /timezone."""
    await _timezone_done(turn, turn.timezone, changed=False)


async def _timezone_date_order(turn: Turn, pressed: su.TimezoneDateOrder) -> None:
    """Switch how numeric dates are read, on the /timezone screen."""
    order: DateOrder = "month_first" if pressed.order == "month_first" else "day_first"
    await choose_date_order(turn.uow, turn.user_id, order)
    await turn.finish()
    await turn.answer("Saved")
    await turn.show(f"Numeric dates now read {DATE_ORDER_TEXT[order]}.")


TIMEZONE_STEPS: Final = StepTable[Turn](_timezone_zone, _timezone_keep, _timezone_date_order)


@handler
async def start_command(turn: Turn) -> None:
    """/start: greet; a new user is then asked for the time zone, a known one shown around."""
    name = esc(turn.first_name or "there")
    if await is_onboarded(turn.uow, turn.user_id):
        zone = esc(describe_timezone(turn.timezone, turn.now))
        await turn.reply(
            f"👋 Welcome back, {name}! Your time zone is <b>{zone}</b> "
            "(/timezone changes it). Here's what I can do:\n\n" + HELP
        )
        return
    text = (
        f"👋 Hi {name}! I'm <b>Practice Tracker</b>. Log every practice session here — "
        "it takes two taps — attach links, notes and screenshots as evidence, and watch "
        "your progress, streaks and weekly summaries grow.\n\n" + TZ_PROMPT
    )
    message = await turn.reply(text, timezone_keyboard(su.SetupZone, su.SetupKeep(), turn.timezone))
    await turn.begin(SetupFlow.name, "tz", message_id=message.message_id)


@handler
async def timezone_command(turn: Turn) -> None:
    """/timezone [zone]: set directly, or ask with buttons."""
    args = turn.context.args or []
    if args:
        zone = await _set_timezone(turn, " ".join(args))
        conv = await turn.load_conversation()
        if conv is not None and conv.name in (TimezoneFlow.name, SetupFlow.name):
            # The zone was the question an open /timezone or /start was waiting for.
            await turn.finish()
        if conv is not None and turn.conversation is None:
            await turn.remove_keyboard(conv.message_id)
        await turn.reply(f"Your time zone is now <b>{esc(describe_timezone(zone, turn.now))}</b>.")
        return
    order, _chosen = await date_order(turn.uow, turn.user_id)
    other: DateOrder = "month_first" if order == "day_first" else "day_first"
    text = (
        f"Your time zone is <b>{esc(describe_timezone(turn.timezone, turn.now))}</b>.\n"
        f"Numeric dates read {DATE_ORDER_TEXT[order]}.\n\n"
    )
    switch = press(DATE_ORDER_SWITCH[other], su.TimezoneDateOrder(other))
    message = await turn.reply(
        text + TZ_PROMPT,
        timezone_keyboard(su.TimezoneZone, su.TimezoneKeep(), turn.timezone, [switch]),
    )
    await turn.begin(TimezoneFlow.name, "tz", message_id=message.message_id)

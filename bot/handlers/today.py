"""/today: which skills to practise now, why, and one-tap Quick Log buttons."""

from __future__ import annotations

from bot.core.runtime import Turn, handler
from bot.services.today import today_plan
from bot.ui.quick_log import new_nonce
from bot.ui.today import NO_SKILLS, today_keyboard, today_text


@handler
async def today_command(turn: Turn) -> None:
    """/today: a short ranked list with a reason per skill; taps go to Quick Log."""
    plan = await today_plan(turn.uow, turn.user_id, turn.today)
    if not plan.suggestions:
        await turn.reply(NO_SKILLS)
        return
    await turn.reply(
        today_text(plan.suggestions, turn.today), today_keyboard(plan.suggestions, new_nonce())
    )

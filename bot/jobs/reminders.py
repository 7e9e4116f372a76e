"""The reminder sweep: claim due messages in the ledger, then deliver each within the limits.

Exactly-once is decided by the database, never by the scheduler: a message exists for a user
only as a send_ledger row, unique per (user, kind, period), and a process may send only what
its own INSERT or compare-and-set returned to it. So a second instance, or a restarted one,
can neither send the same message again nor think it was sent when it was not.

Crash between claim and send: **at least once**. A claim is committed *before* sending and
marked sent after; a row still "claimed" after LEASE (its process died) is claimed again by the
next sweep, if the message is still due in its period, and sent then. Sending a claim is
refused if someone else took it over meanwhile (claimed_at changed). A duplicate is therefore
possible only if a process dies in the instant between Telegram accepting a message and the
"sent" commit; losing a message needs the period (the local day) to end first. A reminder
that arrives twice is a nuisance; a streak reminder that never arrives can cost the streak.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.runtime import NO_PREVIEW, BotContext, Deps
from bot.domain.reminders import WEEKLY_ACTIVITY_DAYS, ReminderKind, local_clock
from bot.jobs.reminder_messages import Outgoing, Skip, Verdict, check, render
from bot.jobs.sender import NoLongerWanted, Sender, delivery_bot, shared_budget
from bot.jobs.timer_guard import guard_timers
from bot.ui.reminders import WEEKLY_CHART_CAPTION
from storage.repositories.reminders import BLOCKED, FAILED, SENT, Claim

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
CLAIM_BATCH = 500
# Users examined per statement. PostgreSQL evaluates a whole slice before the LIMIT (SQLite
# stops early), so a slice full of due users costs one slice-scan per batch; but a sweep with
# nothing due (every minute, most of the time) costs one statement per slice. At 100,000 users
# 20,000 keeps the idle sweep under a second on both; claiming 50,000 due at once then takes
# ~17 s on PostgreSQL, against ~30 minutes to send them at Telegram's 30/s.
SCAN_SPAN = 20_000
WORKERS = 24
# Inactivity before streak: when both fall due in one sweep, the nudge that names the streak
# goes first and the other is then not claimed (one nudge per local day).
KINDS = (ReminderKind.INACTIVITY, ReminderKind.STREAK, ReminderKind.WEEKLY)


@dataclass
class SweepReport:
    """What one sweep did: claims made and how each ended, by kind."""

    claimed: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)

    def count(self, outcome: str) -> int:
        """How many claims ended with this outcome ('sent', 'skipped', ...)."""
        return self.outcomes[outcome]

    @property
    def total_claimed(self) -> int:
        """Claims this sweep made."""
        return sum(self.claimed.values())


async def sweep(
    deps: Deps,
    bot: Bot,
    *,
    sender: Sender | None = None,
    limit: int | None = None,
    batch: int = CLAIM_BATCH,
) -> SweepReport:
    """Claim every due reminder and summary (at most `limit`) and deliver them."""
    report = SweepReport()
    # The application's budget, when it has one: replies and the sweep share it.
    sender = sender or Sender(deps.settings.rate_limit_per_second, budget=shared_budget(bot))
    out = delivery_bot(bot, deps.settings)
    queue: asyncio.Queue[Claim | None] = asyncio.Queue(maxsize=batch)

    async def produce() -> None:
        try:
            remaining = limit
            for kind in KINDS:
                async for claims in claim_batches(deps, kind, limit=remaining, batch=batch):
                    report.claimed[kind.value] += len(claims)
                    if remaining is not None:
                        remaining -= len(claims)
                    for claim in claims:
                        await queue.put(claim)
        finally:
            for _ in range(WORKERS):
                await queue.put(None)

    async def work() -> None:
        while (claim := await queue.get()) is not None:
            report.outcomes[await deliver(deps, out, sender, claim)] += 1

    await asyncio.gather(produce(), *(work() for _ in range(WORKERS)))
    return report


async def claim_batches(
    deps: Deps,
    kind: ReminderKind,
    *,
    limit: int | None = None,
    batch: int = CLAIM_BATCH,
    span: int = SCAN_SPAN,
) -> AsyncIterator[list[Claim]]:
    """Claim every due message of one kind (at most `limit`), a committed batch at a time.

    Users are read once, in id order, SCAN_SPAN at a time: each statement examines a bounded
    slice, and the next starts where the last claim (or the slice) ended.
    """
    async with deps.uow() as uow:
        zones = await uow.reminders.timezones()
    after = -1
    remaining = limit
    while remaining is None or remaining > 0:
        size = batch if remaining is None else min(batch, remaining)
        claims, selected, last, upto = await claim_batch(
            deps, kind, size, after_user=after, span=span, zones=zones
        )
        if remaining is not None:
            remaining -= len(claims)
        if claims:
            yield claims
        if selected == size:
            after = last  # the slice may hold more: continue after the last one claimed
        elif upto is None:
            return
        else:
            after = upto


async def claim_batch(
    deps: Deps,
    kind: ReminderKind,
    limit: int,
    *,
    after_user: int = -1,
    span: int | None = None,
    zones: list[str] | None = None,
) -> tuple[list[Claim], int, int, int | None]:
    """Claim up to `limit` due messages of one kind among the `span` users after `after_user`.

    Commits, and returns (claims, rows selected, last user id selected, last user id of the
    span or None when it reached the end); fewer claims than rows selected means another
    instance got there first.
    """
    now = deps.clock()
    async with deps.uow() as uow:
        upto = None if span is None else await uow.reminders.user_id_after(after_user, span)
        if zones is None:
            zones = await uow.reminders.timezones()
        clocks = [local_clock(zone, now) for zone in zones]
        rival = kind.rival
        result = await uow.reminders.claim_due(
            kind.value,
            clocks,
            now,
            rival=rival.value if rival else None,
            active_days=WEEKLY_ACTIVITY_DAYS,
            lease=LEASE,
            limit=limit,
            after_user=after_user,
            upto_user=upto,
        )
        await uow.commit()
    return (*result, upto)


async def deliver(deps: Deps, bot: Bot, sender: Sender, claim: Claim) -> str:
    """Re-check, render, send and settle one claim; never raises (one user can't stop a sweep)."""
    try:
        return await _deliver(deps, bot, sender, claim)
    except Exception:
        log.exception("%s for user %s: could not settle", claim.kind, claim.user_id)
        return "error"


async def _deliver(deps: Deps, bot: Bot, sender: Sender, claim: Claim) -> str:
    try:
        async with deps.uow() as uow:
            verdict = await check(uow, claim, deps.clock())
            if isinstance(verdict, Verdict):
                message: Outgoing | Skip = await render(uow, claim, verdict)
            else:
                message = verdict
        if isinstance(message, Skip):
            if message.settle is not None:
                await _settle(deps, claim, message.settle)
            log.debug("%s for user %s not sent: %s", claim.kind, claim.user_id, message.reason)
            return message.settle or "not ours"
        sent = await _send(deps, bot, sender, claim, message)
    except NoLongerWanted as gone:
        log.debug("%s for user %s not sent: %s", claim.kind, claim.user_id, gone.outcome)
        return gone.outcome
    except Forbidden:
        async with deps.uow() as uow:
            await uow.users.mark_unreachable(claim.user_id)
            await uow.reminders.settle(claim.user_id, claim.ledger_id, BLOCKED, deps.clock())
            await uow.commit()
        log.info("user %s blocked the bot; scheduled sends stop until they write", claim.user_id)
        return BLOCKED
    except BadRequest as exc:  # our message was refused: retrying would not help
        return await _failed(deps, claim, exc)
    except (RetryAfter, NetworkError) as exc:
        # Left claimed: after LEASE a later sweep retries it if it is still due that day.
        log.warning("%s for user %s left for a later sweep: %s", claim.kind, claim.user_id, exc)
        return "retry later"
    except Exception as exc:
        return await _failed(deps, claim, exc)
    await _settle(deps, claim, SENT, sent.message_id)
    return SENT


async def _send(deps: Deps, bot: Bot, sender: Sender, claim: Claim, out: Outgoing) -> Message:
    async def still_wanted() -> bool:
        # Right before the Bot API call: still our claim, and still due? If not, it is settled
        # in the same unit of work as the check, so nothing can slip in between.
        async with deps.uow() as uow:
            verdict = await check(uow, claim, deps.clock())
            if isinstance(verdict, Verdict):
                return True
            if verdict.settle is not None:
                await uow.reminders.settle(
                    claim.user_id, claim.ledger_id, verdict.settle, deps.clock()
                )
                await uow.commit()
        raise NoLongerWanted(verdict.settle or "not ours")

    sent = await sender.send(
        out.chat_id,
        lambda: bot.send_message(
            out.chat_id,
            out.text,
            parse_mode=ParseMode.HTML,
            reply_markup=out.keyboard,
            link_preview_options=NO_PREVIEW,
        ),
        still_wanted=still_wanted,
    )
    if out.photo is not None:
        photo = out.photo
        try:
            await sender.send(
                out.chat_id,
                lambda: bot.send_photo(out.chat_id, photo, caption=WEEKLY_CHART_CAPTION),
            )
        except TelegramError:
            # The summary itself arrived; a missing chart is not worth sending it twice.
            log.warning("weekly chart for user %s not sent", claim.user_id, exc_info=True)
    return sent


async def _settle(deps: Deps, claim: Claim, status: str, message_id: int | None = None) -> None:
    async with deps.uow() as uow:
        await uow.reminders.settle(claim.user_id, claim.ledger_id, status, deps.clock(), message_id)
        await uow.commit()


async def _failed(deps: Deps, claim: Claim, exc: BaseException) -> str:
    log.error("%s for user %s failed", claim.kind, claim.user_id, exc_info=exc)
    try:
        await _settle(deps, claim, FAILED)
    except Exception:
        log.exception("could not record the failure of ledger row %s", claim.ledger_id)
    return FAILED


async def reminders_job(context: BotContext) -> None:
    """Job callback: one reminder sweep, then the forgotten-timer guard."""
    report = await sweep(context.deps, context.bot)
    if report.total_claimed:
        log.info("reminder sweep: claimed %s, outcomes %s", dict(report.claimed), report.outcomes)
    guarded = await guard_timers(context.deps, delivery_bot(context.bot, context.deps.settings))
    if guarded.asked or guarded.stopped:
        log.info("timer guard: %s", guarded)

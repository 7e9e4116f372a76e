"""The buttons of Quick Log: the /quick grid (also under reminders) and the card after a tap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Final

from bot.domain.durations import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES
from bot.ui.callbacks.codec import BadCallback
from bot.ui.callbacks.schema import CallbackData, Id, Int, OneField, Schema, SkillPage

QUICK: Final = "ql"
_NONCE_RE: Final = re.compile(r"[A-Za-z0-9_-]{4,16}")


@dataclass(frozen=True, slots=True)
class NonceRule(OneField):
    """The random token one keyboard's buttons share (see bot.ui.quick_log.new_nonce)."""

    def check(self, value: Any) -> None:
        """Refuse anything new_nonce could not have made."""
        if not isinstance(value, str) or not _NONCE_RE.fullmatch(value):
            raise BadCallback("bad quick log nonce")


Nonce = Annotated[str, NonceRule()]


class QuickData(CallbackData, prefix=QUICK):
    """A Quick Log button."""


class QuickSave(QuickData, key=("s",)):
    """Save this many minutes of the skill for today (the presser's today, at press time)."""

    skill_id: Id
    minutes: Annotated[int, Int(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES)]
    nonce: Nonce


class QuickUndo(QuickData, key=("u",)):
    """↩️ Undo on the card: delete the session this keyboard's tap saved."""

    log_id: Id
    nonce: Nonce


class QuickNote(QuickData, key=("n",)):
    """📝 Add note on the card: replace the generated description."""

    log_id: Id


class QuickPage(QuickData, key=("p",)):
    """◀ More / More ▶ through the skills, keeping the keyboard's nonce."""

    page: SkillPage
    nonce: Nonce


class QuickOpen(QuickData, key=("o",)):
    """⚡ Quick log: a fresh grid."""


class QuickClose(QuickData, key=("x",)):
    """✖ Close the grid."""


QUICK_BUTTONS: Final = Schema.of(QuickData)

"""Pure renderers: the saved-entry card and the Quick Log keyboards."""

from __future__ import annotations

from datetime import date

from bot.domain.practice import RepeatChoice
from bot.domain.skills import SkillRef
from bot.ui.callbacks import MAX_CALLBACK_BYTES, decode
from bot.ui.cards import session_card, session_card_keyboard
from bot.ui.quick_log import (
    client_token,
    made_by,
    new_nonce,
    quick_card_keyboard,
    quick_log_keyboard,
    quick_log_rows,
)
from storage.models import PracticeLog

TODAY = date(2026, 11, 25)


def _log(**fields: object) -> PracticeLog:
    values: dict[str, object] = {
        "id": 7,
        "skill_id": 3,
        "practiced_on": TODAY,
        "duration_minutes": 90,
        "description": "Built <b>tags</b> & things",
        "difficulty": None,
        "confidence": None,
    }
    values.update(fields)
    return PracticeLog(**values)


def _data(markup: object) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row]  # type: ignore[attr-defined]


def test_card_escapes_user_text_and_shows_ratings_and_extras() -> None:
    text = session_card(_log(difficulty=2), "C++ <STL>", TODAY, extra=["🔥 Day 3 in a row"])
    assert text.splitlines() == [
        "✅ Saved: <b>C++ &lt;STL&gt;</b> — 1 h 30 min, today",
        "<i>Built &lt;b&gt;tags&lt;/b&gt; &amp; things</i>",
        "Difficulty 2/5",
        "",
        "🔥 Day 3 in a row",
    ]
    plain = session_card(_log(practiced_on=date(2026, 11, 20)), "SQL", TODAY, heading="X")
    assert plain.splitlines()[0] == "X: <b>SQL</b> — 1 h 30 min, Fri 20 Nov"
    assert len(plain.splitlines()) == 2


def test_card_keyboard_prefixes_for_history_and_evidence() -> None:
    assert _data(session_card_keyboard(123456789)) == [
        "ev:add:123456789",
        "lgn",
        "hs:edit:123456789",
        "hs:del:123456789",
    ]


def test_quick_rows_are_self_contained_and_fit_telegram_limits() -> None:
    nonce = new_nonce()
    skills = [SkillRef(2**31 - 1, "Ж" * 64), SkillRef(5, "SQL")]
    rows = quick_log_rows(skills, nonce, repeat=RepeatChoice(5, "SQL", 1440))
    labels = [label for row in rows for label, _ in row]
    assert labels[0] == "🔁 Repeat: SQL · 24 h"
    assert labels[1] == "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ… 15m"
    assert labels[4:] == ["SQL 15m", "SQL 30m", "SQL 60m"]
    for _, data in (b for row in rows for b in row):
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        callback = decode(data)
        assert callback.prefix == "ql" and callback.action() == "s"
        assert callback.text(3) == nonce  # skill, minutes and nonce: nothing else needed
    assert decode(rows[1][0][1]).fields == ("s", str(2**31 - 1), "15", nonce)
    assert _data(quick_log_keyboard(skills, nonce))[-1] == "ql:x"


def test_quick_rows_page_and_quick_card_buttons() -> None:
    skills = [SkillRef(i, f"S{i}") for i in range(1, 20)]
    assert len(quick_log_rows(skills, "abcd", page=0)) == 9  # 8 skills + navigation
    last = quick_log_rows(skills, "abcd", page=99)  # clamped to the last page
    assert [label for label, _ in last[-1]] == ["◀ More"]
    assert _data(quick_card_keyboard(42, "abcd")) == ["ql:n:42", "ql:u:42:abcd"]


def test_tokens_identify_the_keyboard_they_came_from() -> None:
    token = client_token("abcd1234", 3, 30)
    assert made_by(token, "abcd1234")
    assert not made_by(token, "abcd")
    assert not made_by(None, "abcd1234")
    assert new_nonce() != new_nonce()

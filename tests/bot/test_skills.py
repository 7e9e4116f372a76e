"""/skills and /addskill: add, rename, archive, delete, with every bad name refused."""

from __future__ import annotations

import pytest

from storage.models import Evidence, PracticeLog
from tests.chat import ChatUser
from tests.support import UnitOfWorkFactory


async def _names(uow_factory: UnitOfWorkFactory, user_id: int = 1001) -> list[str]:
    async with uow_factory() as uow:
        return sorted(s.name for s in await uow.skills.summaries(user_id))


async def test_addskill_then_list_shows_totals(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Guitar")
    assert "Added Guitar" in sarah.last_text()
    await sarah.send("/skills")
    assert "Guitar" in sarah.last_text()
    assert "0 min · 0 sessions" in sarah.last_text()
    assert await _names(uow_factory) == ["Guitar"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 65, "at most 64"),
        ("guitar", "already have a skill called “Guitar”"),
        ("GUITAR", "already have a skill called “Guitar”"),
    ],
)
async def test_bad_names_get_specific_messages(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, name: str, message: str
) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send(f"/addskill {name}")
    assert message in sarah.last_text()
    assert await _names(uow_factory) == ["Guitar"]


async def test_add_from_the_list_asks_for_a_name(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/skills")
    await sarah.tap("➕ Add skill")
    await sarah.send("   ")
    assert "needs a name" in sarah.last_text()
    await sarah.send_sticker()
    assert "as text" in sarah.last_text()
    await sarah.send("Spanish")
    assert "Added Spanish" in sarah.last_text()
    assert await _names(uow_factory) == ["Spanish"]


async def test_rename_archive_unarchive(sarah: ChatUser, uow_factory: UnitOfWorkFactory) -> None:
    await sarah.send("/addskill Guitar")
    await sarah.send("/addskill Piano")
    await sarah.send("/skills")
    await sarah.tap("Guitar")
    await sarah.tap("✏️ Rename")
    await sarah.send("piano")
    assert "already have a skill called “Piano”" in sarah.last_text()
    await sarah.send("Classical guitar")
    assert "Renamed Guitar to Classical guitar" in sarah.last_text()
    assert await _names(uow_factory) == ["Classical guitar", "Piano"]

    await sarah.send("/skills")
    await sarah.tap("Piano")
    await sarah.tap("🗄 Archive")
    assert "Archived" in sarah.last_text()
    await sarah.tap("📤 Unarchive")
    assert "Archived" not in sarah.last_text()
    await sarah.tap("« Back to skills")
    assert "Your skills" in sarah.last_text()


async def test_delete_confirmation_counts_what_goes(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill React")
    async with uow_factory() as uow:
        skill = (await uow.skills.summaries(1001))[0]
        for n in range(3):
            log = PracticeLog(
                user_id=1001,
                skill_id=skill.id,
                practiced_on=sarah_day(n),
                duration_minutes=30,
                description=f"Practice round {n} done",
            )
            uow.session.add(log)
            await uow.session.flush()
            uow.session.add(
                Evidence(
                    user_id=1001,
                    practice_log_id=log.id,
                    skill_id=skill.id,
                    kind="note",
                    note="learned something",
                )
            )
        await uow.commit()
    await sarah.send("/skills")
    assert "1 h 30 min · 3 sessions" in sarah.last_text()
    await sarah.tap("React")
    await sarah.tap("🗑 Delete")
    assert "3 sessions and 3 pieces of evidence" in sarah.last_text()
    await sarah.tap("Keep")
    assert await _names(uow_factory) == ["React"]
    await sarah.tap("🗑 Delete")
    await sarah.tap("🗑 Delete")
    assert "Deleted React" in sarah.last_text()
    assert await _names(uow_factory) == []


def sarah_day(n: int):  # type: ignore[no-untyped-def]
    """A past date for seeded sessions."""
    from datetime import date, timedelta

    return date(2026, 11, 20) - timedelta(days=n)


async def test_forged_button_for_another_users_skill_changes_nothing(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await sarah.send("/addskill Kubernetes")
    async with uow_factory() as uow:
        skill_id = (await uow.skills.summaries(1001))[0].id
    await mallory.send("/skills")
    for action in ("o", "r", "a", "d", "dy"):
        await mallory.tap_data(f"sk:{action}:{skill_id}:0")
        assert "no longer exists" in mallory.answers()[-1]
        assert "Kubernetes" not in mallory.last_text()
    assert await _names(uow_factory) == ["Kubernetes"]
    async with uow_factory() as uow:
        skill = await uow.skills.get(1001, skill_id)
        assert skill is not None and not skill.archived


async def test_stale_delete_after_skill_is_gone(sarah: ChatUser) -> None:
    await sarah.send("/addskill React")
    await sarah.send("/skills")
    await sarah.tap("React")
    await sarah.tap("🗑 Delete")
    confirm = sarah.last_message()
    await sarah.tap("🗑 Delete")
    await sarah.tap_data(confirm_data(confirm), message_id=confirm["message_id"])
    assert "no longer exists" in sarah.answers()[-1]


def confirm_data(message: dict) -> str:  # type: ignore[type-arg]
    """The callback_data of the first button of a stored message."""
    return str(message["reply_markup"]["inline_keyboard"][0][0]["callback_data"])

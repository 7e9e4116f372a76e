"""Forgiving /log: typo'd and unknown skills, mistyped commands, and plain messages that read as
a session — through the real Application."""

from __future__ import annotations

import pytest

from tests.chat import ChatUser, flat
from tests.seed import count_logs, logs, seed_skills
from tests.support import TODAY, UnitOfWorkFactory


async def _skill_names(uow_factory: UnitOfWorkFactory) -> set[str]:
    async with uow_factory() as uow:
        return {s.name for s in await uow.skills.summaries(1001)}


@pytest.mark.parametrize(
    ("typed", "skill"),
    [
        ("guitr", "Guitar"),
        ("Gutiar", "Guitar"),
        ("GUITAR", "Guitar"),
        ("reac", "React"),
        ("espanol", "Español"),
        ("ESPAÑL", "Español"),
        ("machine lerning", "Machine learning"),
    ],
)
async def test_a_typod_skill_is_saved_to_the_right_skill(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, typed: str, skill: str
) -> None:
    ids = await seed_skills(uow_factory, "Guitar", "React", "Español", "Machine learning")
    await sarah.send(f"/log {typed} 30m scales and more practice")
    assert f"✅ Saved: {skill} — 30 min, today" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert (row.skill_id, row.description) == (ids[skill], "scales and more practice")


async def test_an_unknown_skill_is_one_tap_to_create(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log piano 30m scales and arpeggios")
    assert "You have no skill called “Piano”" in sarah.last_text()
    assert ["➕ Create Piano"] in sarah.buttons()
    assert await count_logs(uow_factory) == 0
    await sarah.tap("➕ Create Piano")
    assert "✅ Saved: Piano — 30 min, today" in sarah.last_text()
    assert await _skill_names(uow_factory) == {"Guitar", "Piano"}
    [row] = await logs(uow_factory)
    assert row.description == "scales and arpeggios"


async def test_creating_the_typed_skill_asks_for_a_description_when_too_little_is_left(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log banjo 20m rolls ok")  # "rolls ok" alone is too short
    await sarah.tap("➕ Create Banjo")
    assert "What did you practise" in sarah.last_text()
    await sarah.send("Forward rolls at 80 bpm")
    assert "✅ Saved: Banjo — 20 min, today" in sarah.last_text()


async def test_the_skill_step_forgives_typos_and_offers_to_create_the_typed_name(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar", "React")
    await sarah.send("/log")
    await sarah.send("guitr")
    assert "Guitar" in sarah.last_text() and "How long" in sarah.last_text()
    await sarah.tap("« Back")
    await sarah.send("Ukulele")
    assert "You have no skill called “Ukulele”" in sarah.last_text()
    assert "➕ Create Ukulele" in flat(sarah.buttons())
    await sarah.tap("➕ Create Ukulele")
    assert "Ukulele" in sarah.last_text() and "How long" in sarah.last_text()
    assert await _skill_names(uow_factory) == {"Guitar", "React", "Ukulele"}


async def test_a_mistyped_log_command_offers_the_log_in_one_tap(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/lgo guitar 30m scales in A minor")
    assert "Did you mean /log?" in sarah.last_text()
    offer = sarah.last_message()
    await sarah.tap("📝 Yes, /log it")
    assert "✅ Saved: Guitar — 30 min, today" in sarah.last_text()
    await sarah.tap_data("lgm", offer["message_id"])  # a second press: nothing new
    assert await count_logs(uow_factory) == 1
    [row] = await logs(uow_factory)
    assert (row.practiced_on, row.description) == (TODAY, "scales in A minor")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("/stast", "/stats"), ("/hist", "/history"), ("/exprot", "/export"), ("/hlep", "/help")],
)
async def test_other_mistyped_commands_are_named(sarah: ChatUser, typed: str, meant: str) -> None:
    await sarah.send(typed)
    assert f"Did you mean {meant}?" in sarah.last_text()
    assert sarah.buttons() == []


async def test_a_command_far_from_any_is_unknown(sarah: ChatUser) -> None:
    await sarah.send("/frobnicate")
    assert "I don't know the command /frobnicate" in sarah.last_text()


async def test_a_plain_message_that_reads_as_a_session_is_offered_for_saving(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("guitar 30m scales in A minor yesterday")
    text = sarah.last_text()
    assert "Log this as a practice session?" in text
    assert "Guitar · 30 min · yesterday" in text and "scales in A minor" in text
    assert sarah.buttons() == [["📝 Log it", "✖ Cancel"]]
    assert await count_logs(uow_factory) == 0
    await sarah.tap("📝 Log it")
    assert "✅ Saved: Guitar — 30 min, yesterday" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert row.description == "scales in A minor"


async def test_a_plain_message_offer_can_be_dismissed(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("guitar 30m scales in A minor")
    await sarah.tap("✖ Cancel")
    assert await count_logs(uow_factory) == 0


@pytest.mark.parametrize("text", ["hello", "guitar is fun", "30m of something", "piano 30m x"])
async def test_text_that_is_not_a_session_hears_what_works(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory, text: str
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send(text)
    assert "not sure what to do" in sarah.last_text()


async def test_a_running_conversation_keeps_its_messages(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("/log guitar 30m x")  # too short a description: the step asks for one
    await sarah.send("guitar 30m scales in A minor")
    assert "Log this" not in " ".join(sarah.texts())
    assert "✅ Saved: Guitar — 30 min, today" in sarah.last_text()
    [row] = await logs(uow_factory)
    assert row.description == "guitar 30m scales in A minor"


async def test_a_link_still_goes_to_evidence(
    sarah: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await seed_skills(uow_factory, "Guitar")
    await sarah.send("guitar 30m https://example.com/scales")
    assert "Log this" not in sarah.last_text()
    assert "not sure what to do" not in sarah.last_text()

"""An account using every feature survives export -> import -> export, across time zones.

The columns are enumerated from the models, so a column added later fails here until the seed
gives it a value and the export carries it (or it is listed below as not the user's data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, select

from bot.domain.import_format import read_import
from storage.models import Base
from tests.bot.transfer_helpers import comparable, export, register, set_user
from tests.chat import ChatUser
from tests.seed import seed_every_feature
from tests.support import START, UnitOfWorkFactory

DATA = Path(__file__).resolve().parent.parent / "data"
SARAH, MALLORY = 1001, 2002
# UTC+13 all year: at the test clock's start (2026-11-25 12:00 UTC) it is already the 26th there.
EXPORTER_ZONE = "Pacific/Tongatapu"
IMPORTER_ZONE = "Pacific/Honolulu"  # UTC-10: still the 25th

# Tables whose rows are the user's data, with the columns in them that are not: keys, the
# Telegram identity, delivery bookkeeping and timestamps the server keeps.
NOT_USER_DATA: Mapping[str, frozenset[str]] = {
    "users": frozenset(
        {
            "id",
            "chat_id",  # Telegram's, the same as the user id in a private chat
            "first_name",  # Telegram's, read again on every contact
            "is_reachable",  # whether the last send was refused (403)
            "ignored_reminders",  # the reminder back-off of this chat, not a preference
            "onboarded_at",  # when /start's set-up ran in this chat; a restore doesn't redo it
            "created_at",
            "updated_at",
        }
    ),
    "skills": frozenset({"id", "user_id", "updated_at"}),
    # client_token: a retried update's idempotency key, meaningful for minutes only.
    "practice_logs": frozenset({"id", "user_id", "client_token"}),
    "evidence": frozenset({"id", "user_id"}),
}
# The bot's own state about a user: open dialogues, sends made, undo buffers, derived figures,
# and evidence still waiting for a place (it is forgotten after a day, like an open dialogue).
BOOKKEEPING_TABLES = frozenset(
    {
        "conversations",
        "send_ledger",
        "undo_snapshots",
        "evidence_batches",
        "update_inbox",
        "timers",  # a running clock, like an open dialogue; what it measured is a session
        "streak_runs",  # derived from the sessions by triggers; rebuilt as they are imported
        "skill_totals",
    }
)
# Columns that point at other rows: compared by what they point at, not by the id.
REFERENCES = frozenset({"skill_id", "practice_log_id"})


def user_columns(table_name: str) -> list[Column[Any]]:
    """The columns of a table that hold the user's data."""
    table = Base.metadata.tables[table_name]
    return [c for c in table.columns if c.name not in NOT_USER_DATA[table_name]]


def is_default(column: Column[Any], value: object) -> bool:
    """Whether a stored value says nothing: NULL, or the column's own default."""
    if value is None:
        return True
    default = column.default
    return default is not None and default.is_scalar and value == default.arg  # type: ignore[attr-defined]


async def owned(uow_factory: UnitOfWorkFactory, table_name: str, user_id: int) -> list[Any]:
    """The user's rows of a table, every column, in id order."""
    table = Base.metadata.tables[table_name]
    owner = table.c.id if table_name == "users" else table.c.user_id
    async with uow_factory() as uow:
        result = await uow.session.execute(select(table).where(owner == user_id).order_by(owner))
        return list(result.mappings().all())


async def snapshot(uow_factory: UnitOfWorkFactory, user_id: int) -> dict[str, list[str]]:
    """The user's data, every user-owned column, with references replaced by their targets."""
    skills = {row["id"]: row["name"] for row in await owned(uow_factory, "skills", SARAH)}
    skills |= {row["id"]: row["name"] for row in await owned(uow_factory, "skills", user_id)}
    logs = await owned(uow_factory, "practice_logs", user_id)
    targets: dict[str, dict[int, object]] = {
        "skill_id": skills,
        "practice_log_id": {
            row["id"]: (skills[row["skill_id"]], row["practiced_on"], row["description"])
            for row in logs
        },
    }
    result: dict[str, list[str]] = {}
    for name in NOT_USER_DATA:
        rows = []
        for row in await owned(uow_factory, name, user_id):
            values = {}
            for column in user_columns(name):
                value = row[column.name]
                if column.name in REFERENCES and value is not None:
                    value = targets[column.name][value]
                values[column.name] = value
            rows.append(repr(values))
        result[name] = sorted(rows)
    return result


def test_every_table_is_classified() -> None:
    unknown = set(Base.metadata.tables) - set(NOT_USER_DATA) - BOOKKEEPING_TABLES
    assert not unknown, f"say whether {unknown} is the user's data (and export it) or bookkeeping"


async def test_every_feature_survives_export_import_export_across_time_zones(
    sarah: ChatUser, mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    exporter_today = datetime(2026, 11, 26).date()
    await seed_every_feature(uow_factory, SARAH, EXPORTER_ZONE, exporter_today)
    for name in NOT_USER_DATA:
        rows = await owned(uow_factory, name, SARAH)
        unset = [
            column.name
            for column in user_columns(name)
            if all(is_default(column, row[column.name]) for row in rows)
        ]
        assert not unset, f"seed_every_feature leaves {name}.{unset} at their defaults"

    _, original = await export(sarah, "json")
    await register(uow_factory, mallory)
    await set_user(uow_factory, MALLORY, timezone=IMPORTER_ZONE)
    await mallory.send_document("backup.json", "application/json", data=original, caption="/import")
    preview = mallory.last_text()
    assert "Invalid" not in preview and "future" not in preview, preview
    await mallory.tap_containing("📥 Import")
    assert "Imported 2 sessions" in mallory.last_text()

    _, again = await export(mallory, "json")
    assert comparable(again) == comparable(original)
    assert await snapshot(uow_factory, MALLORY) == await snapshot(uow_factory, SARAH)
    document = json.loads(again)
    assert document["user"]["timezone"] == EXPORTER_ZONE
    assert [log["date"] for log in document["practice_logs"]][-1] == "2026-11-26"


async def test_a_version_1_export_still_imports(
    mallory: ChatUser, uow_factory: UnitOfWorkFactory
) -> None:
    await register(uow_factory, mallory)
    data = (DATA / "export_v1.json").read_bytes()
    assert json.loads(data)["version"] == 1

    await mallory.send_document("old.json", "application/json", data=data, caption="/import")
    assert "Skills to create (2): React, Español" in mallory.last_text()
    await mallory.tap_containing("📥 Import")

    skills = await owned(uow_factory, "skills", MALLORY)
    assert [(s["name"], s["archived_at"] is not None) for s in skills] == [
        ("React", False),
        ("Español", True),
    ]
    users = await owned(uow_factory, "users", MALLORY)
    assert (users[0]["weekly_goal_minutes"], users[0]["inactivity_days"]) == (300, 3)
    logs = await owned(uow_factory, "practice_logs", MALLORY)
    assert [log["source"] for log in logs] == ["restore", "restore"]
    assert read_import("old.json", data, START.date()).kind == "practice-tracker-json"

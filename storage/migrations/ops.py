"""Schema pieces the migrations repeat, stated once: owned rows, their keys, timestamps, indexes.

Applied migrations call these, so each must keep producing exactly what it produces now
(tests/storage/test_migration_history.py holds every revision's schema to the letter). A new
convention gets a new helper; never change what one of these makes. Names are spelled out in
the naming convention storage.models.NAMING had when the migrations were written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import storage.types


def owned_row_columns() -> tuple[sa.Column[Any], sa.Column[Any]]:
    """A user's row with a serial id of its own: the `id` and `user_id` columns, in that order."""
    return (
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
    )


def user_key_column() -> sa.Column[Any]:
    """`user_id` as the whole key of a table holding at most one row per user."""
    return sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False)


def owner_keys(
    table: str, *primary_key: str
) -> tuple[sa.ForeignKeyConstraint, sa.PrimaryKeyConstraint]:
    """The owner's foreign key (deleting the user deletes the row) and the primary key, on
    `primary_key`'s columns (`id` when none are named)."""
    return (
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(*(primary_key or ("id",)), name=op.f(f"pk_{table}")),
    )


def owned_skill_key(table: str) -> sa.ForeignKeyConstraint:
    """(skill_id, user_id) names one of the owner's skills: the database refuses another user's
    skill, and deleting the skill deletes the row."""
    return sa.ForeignKeyConstraint(
        ["skill_id", "user_id"],
        ["skills.id", "skills.user_id"],
        name=op.f(f"fk_{table}_skill_id_user_id_skills"),
        ondelete="CASCADE",
    )


def timestamps() -> tuple[sa.Column[Any], sa.Column[Any]]:
    """`created_at` and `updated_at`, both UTC and required."""
    return (
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
    )


def _index_name(table: str, columns: Sequence[str]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def create_indexes(table: str, *indexes: Sequence[str]) -> None:
    """One plain (non-unique) index per column list, created in the order given."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for columns in indexes:
            batch_op.create_index(
                batch_op.f(_index_name(table, columns)), list(columns), unique=False
            )


def drop_indexes(table: str, *indexes: Sequence[str]) -> None:
    """Drop the plain indexes `create_indexes` made on these column lists, in the order given."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for columns in indexes:
            batch_op.drop_index(batch_op.f(_index_name(table, columns)))

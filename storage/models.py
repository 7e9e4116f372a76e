"""ORM models: users, skills, practice logs, evidence, and the bot's own bookkeeping tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain.goals import GoalKind
from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MAX_SKILL_NAME = 64
MAX_DESCRIPTION = 500
MIN_DESCRIPTION = 10
MAX_DAY_MINUTES = 1440
MAX_NOTE = 2000
MAX_URL = 2048
MAX_NEXT_FOCUS = 200
MAX_INTENTION = 500
EVIDENCE_KINDS = (
    "link",
    "note",
    "screenshot",
    "voice",
    "audio",
    "video",
    "video_note",
    "document",
)
# Kinds that are a file kept on Telegram's servers (metadata only), as SQL for a CHECK.
FILE_KINDS_SQL = "kind IN ('voice', 'audio', 'video', 'video_note', 'document')"
MAX_SOURCE = 255
INACTIVITY_DAY_CHOICES = (1, 2, 3, 5, 7)


class Base(DeclarativeBase):
    """Declarative base with constraint names that Alembic can rely on across backends."""

    metadata = MetaData(naming_convention=NAMING)


class TimestampMixin:
    """created_at/updated_at kept in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OneRowPerUserMixin:
    """A table holding at most one row per user: the row's key is its owner's id."""

    user_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


class GoalsMixin:
    """The goals a user sets overall and per skill: one column per GoalKind (its value), each
    optional, and they may be combined."""

    weekly_goal_minutes: Mapped[int | None] = mapped_column(Integer)
    weekly_goal_sessions: Mapped[int | None] = mapped_column(SmallInteger)
    weekly_goal_days: Mapped[int | None] = mapped_column(SmallInteger)
    daily_goal_minutes: Mapped[int | None] = mapped_column(Integer)


def goal_checks() -> tuple[CheckConstraint, ...]:
    """Each goal column's range, 1 to its kind's limit, as CHECKs for one table that has goals."""
    return tuple(
        CheckConstraint(f"{kind} IS NULL OR {kind} BETWEEN 1 AND {kind.limit}", name=kind.value)
        for kind in GoalKind
    )


def owned_skill_key() -> ForeignKeyConstraint:
    """(skill_id, user_id) names one of the row owner's skills (Skill's unique (id, user_id)),
    so the database refuses another user's skill; deleting the skill deletes the row."""
    return ForeignKeyConstraint(
        ["skill_id", "user_id"], ["skills.id", "skills.user_id"], ondelete="CASCADE"
    )


class User(TimestampMixin, GoalsMixin, Base):
    """A Telegram user; the primary key is their Telegram user id."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("inactivity_days IN (1, 2, 3, 5, 7)", name="inactivity_days"),
        CheckConstraint("inactivity_minute BETWEEN 0 AND 1439", name="inactivity_minute"),
        CheckConstraint("weekly_weekday BETWEEN 0 AND 6", name="weekly_weekday"),
        CheckConstraint("weekly_minute BETWEEN 0 AND 1439", name="weekly_minute"),
        CheckConstraint("streak_minute BETWEEN 0 AND 1439", name="streak_minute"),
        CheckConstraint("ignored_reminders >= 0", name="ignored_reminders"),
        CheckConstraint("date_order IN ('day_first', 'month_first')", name="date_order"),
        CheckConstraint("week_start IS NULL OR week_start BETWEEN 0 AND 6", name="week_start"),
        *goal_checks(),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str | None] = mapped_column(String(128))
    timezone: Mapped[str] = mapped_column(String(64))
    # False once Telegram answers 403 (bot blocked); scheduled sends skip the user until they write.
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Reminder preferences; minutes are local minutes after midnight, weekday 0 = Monday.
    inactivity_enabled: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=text("true")
    )
    inactivity_days: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="2")
    inactivity_minute: Mapped[int] = mapped_column(
        SmallInteger, default=18 * 60, server_default=str(18 * 60)
    )
    weekly_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    weekly_weekday: Mapped[int] = mapped_column(SmallInteger, default=6, server_default="6")
    weekly_minute: Mapped[int] = mapped_column(
        SmallInteger, default=18 * 60, server_default=str(18 * 60)
    )
    # 0 = Monday ... 6 = Sunday; None: the time zone's region decides (bot.domain.weeks).
    week_start: Mapped[int | None] = mapped_column(SmallInteger)
    streak_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    streak_minute: Mapped[int] = mapped_column(
        SmallInteger, default=20 * 60, server_default=str(20 * 60)
    )
    paused_until: Mapped[date | None] = mapped_column(Date)
    ignored_reminders: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # How numeric dates like 11/12 are read ('day_first' or 'month_first'): inferred from the
    # time zone's region until the user chooses; an ambiguous date is asked about until then.
    date_order: Mapped[str] = mapped_column(
        String(11), default="day_first", server_default="day_first"
    )
    date_order_chosen: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    # When /start's set-up ended: a later /start greets instead of asking for the time zone.
    onboarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Skill(TimestampMixin, GoalsMixin, Base):
    """Something a user practises; names are unique per user, ignoring case."""

    __tablename__ = "skills"
    __table_args__ = (
        UniqueConstraint("user_id", "name_key"),
        # Lets practice logs and evidence reference (skill, owner) so the database itself refuses
        # a row that pairs one user's skill with another user.
        UniqueConstraint("id", "user_id"),
        CheckConstraint(f"length(name) BETWEEN 1 AND {MAX_SKILL_NAME}", name="name_length"),
        *goal_checks(),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_SKILL_NAME))
    # casefold() of the name, computed in Python: SQL lower() is ASCII-only on SQLite.
    name_key: Mapped[str] = mapped_column(String(4 * MAX_SKILL_NAME))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the user said they would work on next (the reflection after a timer).
    next_focus: Mapped[str | None] = mapped_column(String(MAX_NEXT_FOCUS))

    @property
    def archived(self) -> bool:
        """Whether the skill is archived (hidden from logging menus)."""
        return self.archived_at is not None


class PracticeLog(TimestampMixin, Base):
    """One practice session: a skill, a local calendar date, minutes and a description."""

    __tablename__ = "practice_logs"
    __table_args__ = (
        owned_skill_key(),
        UniqueConstraint("id", "user_id"),
        UniqueConstraint("user_id", "client_token"),
        CheckConstraint(
            f"duration_minutes BETWEEN 1 AND {MAX_DAY_MINUTES}", name="duration_minutes"
        ),
        CheckConstraint(
            f"length(description) BETWEEN {MIN_DESCRIPTION} AND {MAX_DESCRIPTION}",
            name="description_length",
        ),
        CheckConstraint("difficulty IS NULL OR difficulty BETWEEN 1 AND 5", name="difficulty"),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 5", name="confidence"),
        # Keyset pages read (practiced_on, id) in order from the leading columns. The user's
        # index also carries duration_minutes, so counts and sums of minutes over a user's
        # sessions by date (the /history total line, the daily cap check) are index-only.
        # Not skill_id here nor user_id in the skill index: an index holding both lets
        # PostgreSQL's generic plan for prepared statements (asyncpg) join skills first and
        # sort all of a heavy user's sessions for one /history page (see benchmarks/RESULTS.md).
        Index(None, "user_id", "practiced_on", "id", "duration_minutes"),
        Index(None, "skill_id", "practiced_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(Integer)
    practiced_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(MAX_DESCRIPTION))
    difficulty: Mapped[int | None] = mapped_column(SmallInteger)
    confidence: Mapped[int | None] = mapped_column(SmallInteger)
    # Where the row came from: "chat", "quick", "import", "restore", "timer".
    source: Mapped[str] = mapped_column(String(16), default="chat", server_default="chat")
    # Idempotency key: a retried update or a double tap carries the same token and saves once.
    client_token: Mapped[str | None] = mapped_column(String(64))


class Timer(Base):
    """A running practice timer; its time is computed from these timestamps, never ticked.

    One per user (unique user_id): the database keeps it so across instances.
    """

    __tablename__ = "timers"
    __table_args__ = (
        owned_skill_key(),
        UniqueConstraint("user_id"),
        CheckConstraint("paused_seconds >= 0", name="paused_seconds"),
        # Ids are never reused (SQLite would reuse the highest after a delete): an old live
        # message's buttons carry the id and must not reach a newer timer.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The live message showing the timer (the newest one, when /timer showed it again).
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    intention: Mapped[str | None] = mapped_column(String(MAX_INTENTION))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Seconds spent paused before the current pause (if any).
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last time the user was known to be there (a press or a command about the timer).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # When the live message is next due for a refresh; the refresh job claims by moving it.
    refresh_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # When the forgotten-timer guard asked "Still practising?" (None: not asked since last seen).
    guard_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Evidence(Base):
    """Proof of learning: a link, a note, or a file's metadata (never the file itself).

    A link or a file may carry a description in ``note`` (a photo's caption, a forwarded post's
    text), and ``source`` says where a forwarded message came from.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["practice_log_id", "user_id"],
            ["practice_logs.id", "practice_logs.user_id"],
            ondelete="CASCADE",
        ),
        owned_skill_key(),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{kind}'" for kind in EVIDENCE_KINDS) + ")", name="kind"
        ),
        CheckConstraint("practice_log_id IS NOT NULL OR skill_id IS NOT NULL", name="attached"),
        CheckConstraint(
            f"kind <> 'link' OR (url IS NOT NULL AND length(url) <= {MAX_URL})", name="link_url"
        ),
        CheckConstraint(
            f"kind <> 'note' OR (note IS NOT NULL AND length(note) BETWEEN 1 AND {MAX_NOTE})",
            name="note_text",
        ),
        CheckConstraint(
            "kind <> 'screenshot' OR (file_name IS NOT NULL AND length(file_name) >= 1)",
            name="screenshot_file",
        ),
        CheckConstraint(
            f"NOT ({FILE_KINDS_SQL}) OR (file_id IS NOT NULL AND file_name IS NOT NULL)",
            name="recording_file",
        ),
        CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration"),
        Index(None, "user_id", "skill_id", "created_at"),
        Index(None, "practice_log_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    practice_log_id: Mapped[int | None] = mapped_column(Integer)
    skill_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(String(MAX_URL))
    note: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(128))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    storage: Mapped[str | None] = mapped_column(String(32))
    file_id: Mapped[str | None] = mapped_column(String(255))
    file_unique_id: Mapped[str | None] = mapped_column(String(128))
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(MAX_SOURCE))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceBatch(OneRowPerUserMixin, Base):
    """Evidence a user sent that waits for them to pick a session or skill, one batch per user.

    Kept apart from the conversation row so that another command (a /log, /stats) started
    before the user picks does not throw the batch away. ``media_group_id`` is the album the
    current prompt (``message_id``) covers: the other pictures of that album join it there.
    ``album_route`` sends the rest of an album after its first file when that one went
    straight to a session or skill.
    """

    __tablename__ = "evidence_batches"

    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An album whose first file already went somewhere (a captioned /log, "Add evidence"): its
    # other files follow it there. {"id": media_group_id, "s": log_id | "k": skill_id, "at": ...}
    album_route: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Conversation(OneRowPerUserMixin, Base):
    """A user's open multi-step dialogue; kept here so restarts and other instances continue it."""

    __tablename__ = "conversations"

    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The bot message that shows the current step's keyboard, so the next step can edit it.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# Send-ledger pruning: the kinds keyed by a local date and read only while it is current, as
# the SQL the prune's index and its query both spell out (literally: a partial index is used
# only when the query repeats its condition, and SQLite cannot see through a parameter).
LEDGER_PERIODIC_KINDS = ("inactivity", "streak", "weekly")
LEDGER_PERIODIC_SQL = "kind IN ('inactivity', 'streak', 'weekly')"
# The claimed_at test is always true (the column is NOT NULL) and no sweep query states it,
# so the planner can never pick the prune's index for the sweep's lookups, not even when its
# statistics say the table is empty (PostgreSQL then did, with the kinds alone as condition,
# and claiming due reminders got four times slower). The prune's query states both.
LEDGER_PRUNE_INDEX_SQL = f"{LEDGER_PERIODIC_SQL} AND claimed_at IS NOT NULL"


class SendLedger(Base):
    """One row per scheduled message ever claimed; the unique key makes each send happen once."""

    __tablename__ = "send_ledger"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "period_key"),
        # Send-ledger pruning: only the periodic rows (milestones stay forever), oldest claim
        # first. Not (kind, period_key): the sweep's per-user lookups could use that one.
        Index(
            None,
            "claimed_at",
            sqlite_where=text(LEDGER_PRUNE_INDEX_SQL),
            postgresql_where=text(LEDGER_PRUNE_INDEX_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    period_key: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class UndoSnapshot(Base):
    """What a delete removed, kept for a few minutes so the user can undo it."""

    __tablename__ = "undo_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class InboxUpdate(Base):
    """An update from Telegram, stored before it is acknowledged, until it has been handled.

    Not scoped to a user: it is the bot's intake, written and read only by bot/core/inbox.py.
    ``claimed_at`` is when an instance took it to handle; ``step_applied_at`` when a conversation
    step it made committed, in that same transaction; ``done_at`` when handling finished (its
    reply included).
    """

    __tablename__ = "update_inbox"
    __table_args__ = (
        # Pending updates in arrival order: the only rows recovery reads.
        Index(
            None,
            "update_id",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    step_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


# Derived state kept by database triggers on practice_logs and skills (migration 0009): every
# write path, cascades included, updates it in the same transaction as the sessions it follows.
ALL_SKILLS_SERIES = 0


class StreakRun(Base):
    """A maximal run of consecutive practice dates of one skill, or of any skill (skill_id 0)."""

    __tablename__ = "streak_runs"
    __table_args__ = (Index(None, "user_id", "skill_id", "last_day"),)

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Not a foreign key: 0 stands for the user's overall series (ALL_SKILLS_SERIES).
    skill_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[date] = mapped_column(Date)


class SkillTotal(Base):
    """All-time sessions, minutes and first and last practice date of one skill."""

    __tablename__ = "skill_totals"
    __table_args__ = (owned_skill_key(),)

    skill_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger)
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)

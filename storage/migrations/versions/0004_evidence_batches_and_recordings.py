"""evidence: recordings and documents, a description's source, and batches awaiting a target

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 00:00:00.000000

Evidence kinds grow from link/note/screenshot to voice, audio, video, video notes and
documents (metadata only, as screenshots), with their duration; ``source`` keeps where a
forwarded message came from. ``evidence_batches`` holds, per user, the evidence waiting for a
session or skill to be picked, outside the one conversation row so other commands leave it be.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types
from storage.migrations.ops import owner_keys, user_key_column

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the kinds as of this migration.
OLD_KINDS = "kind IN ('link', 'note', 'screenshot')"
NEW_KINDS = (
    "kind IN ('link', 'note', 'screenshot', 'voice', 'audio', 'video', 'video_note', 'document')"
)
FILE_KINDS = "kind IN ('voice', 'audio', 'video', 'video_note', 'document')"


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=255), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_evidence_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_evidence_kind'), NEW_KINDS)
        batch_op.create_check_constraint(
            batch_op.f('ck_evidence_recording_file'),
            f"NOT ({FILE_KINDS}) OR (file_id IS NOT NULL AND file_name IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_evidence_duration'),
            'duration_seconds IS NULL OR duration_seconds >= 0',
        )
    op.create_table(
        'evidence_batches',
        user_key_column(),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=True),
        sa.Column('media_group_id', sa.String(length=64), nullable=True),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('album_route', sa.JSON(), nullable=True),
        *owner_keys('evidence_batches', 'user_id'),
    )


def downgrade() -> None:
    op.drop_table('evidence_batches')
    op.execute(f"DELETE FROM evidence WHERE NOT ({OLD_KINDS})")
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evidence_duration'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_evidence_recording_file'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_evidence_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_evidence_kind'), OLD_KINDS)
        batch_op.drop_column('source')
        batch_op.drop_column('duration_seconds')

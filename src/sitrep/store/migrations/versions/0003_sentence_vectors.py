"""sentence vectors for cross-language corroboration

Revision ID: 0003
Revises: 0002_source_outlet
Create Date: 2026-11-29 22:20:00

Adds a nullable float16 vector blob to events (the evidence sentence) and quotes (the words of an intercepted call),
written by sitrep.store.corroborate when cross-language linking compares them. Plain ADD COLUMN on both back ends
(no table rebuild: SQLite keeps its FTS triggers); existing rows get their vectors when a new report needs them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002_source_outlet'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('events', sa.Column('vec', sa.LargeBinary(), nullable=True))
    op.add_column('quotes', sa.Column('vec', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column('quotes', 'vec')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no rebuild, FTS triggers stay
    op.drop_column('events', 'vec')

"""documents.source_outlet (a forward counts as its original channel) and an index on documents.language

Revision ID: 0002_source_outlet
Revises: 0001
Create Date: 2026-11-29 22:00:00

`source_outlet` holds, for a document that only relays another outlet's post (a Telegram forward), the
original outlet: corroboration counts the document as that source. The language index serves the
`--language` filters of the CLI, the API and the dashboard.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_source_outlet'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_outlet', sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_language'), ['language'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_language'))
        batch_op.drop_column('source_outlet')

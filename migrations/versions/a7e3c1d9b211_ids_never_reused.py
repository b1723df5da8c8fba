"""ids never reused (AUTOINCREMENT on SQLite), staff session versions, last activity for retention, the live
room's columns (moderation, projector theme, timer, presence), and one client-id namespace per message sender

Issue 11: live channels and links are named by row ids, so an id of a deleted row must never name a new row.
PostgreSQL sequences never hand an id out twice; SQLite without AUTOINCREMENT reuses the highest freed id, so
every table is rebuilt with AUTOINCREMENT there (its rows and ids are copied as they are).

Revision ID: a7e3c1d9b211
Revises: 8756d8fb15d8
Create Date: 2026-12-01 11:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7e3c1d9b211'
down_revision = '8756d8fb15d8'
branch_labels = None
depends_on = None

TABLES = ('facilitator', 'squad', 'run', 'participant', 'answer', 'signal', 'item_tally', 'audit_entry',
          'track', 'track_answer', 'support_message', 'track_signal')

NEW_COLUMNS = {
    'facilitator': [sa.Column('session_version', sa.Integer(), nullable=False, server_default='0')],
    'run': [sa.Column('last_activity_at', sa.DateTime(), nullable=True),
            sa.Column('moderated', sa.Boolean(), nullable=False, server_default=sa.true()),
            sa.Column('screen_theme', sa.String(length=8), nullable=False, server_default='dark'),
            sa.Column('timer_seconds', sa.Integer(), nullable=True),
            sa.Column('timer_started_at', sa.DateTime(), nullable=True)],
    'participant': [sa.Column('connected', sa.Boolean(), nullable=False, server_default=sa.false()),
                    sa.Column('last_seen_at', sa.DateTime(), nullable=True)],
    'answer': [sa.Column('approved', sa.Boolean(), nullable=False, server_default=sa.false())],
    'track': [sa.Column('last_activity_at', sa.DateTime(), nullable=True)],
}

NEW_MESSAGE_KEY = 'uq_support_message_sender_client'


def _support_message_table(metadata: sa.MetaData) -> sa.Table:
    """The message table as it is after this revision (SQLite cannot drop its unnamed unique constraint in place)."""
    return sa.Table(
        'support_message', metadata,
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('track_id', sa.Integer(), sa.ForeignKey('track.id', ondelete='CASCADE'), nullable=False),
        sa.Column('sender', sa.String(length=8), nullable=False),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('facilitator.id', ondelete='SET NULL'), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('track_id', 'sender', 'client_id', name=NEW_MESSAGE_KEY),
        sqlite_autoincrement=True,
    )


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        _upgrade_sqlite()
    else:
        _upgrade_server_database()


def _upgrade_sqlite():
    for table in TABLES:
        if table == 'support_message':
            continue
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}) as batch:
            for column in NEW_COLUMNS.get(table, ()):
                batch.add_column(column)
    with op.batch_alter_table('support_message', recreate='always',
                              copy_from=_support_message_table(sa.MetaData())) as batch:
        batch.create_index('ix_support_message_track_id', ['track_id'], unique=False)


def _upgrade_server_database():
    for table, columns in NEW_COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.drop_constraint('support_message_track_id_client_id_key', 'support_message', type_='unique')
    op.create_unique_constraint(NEW_MESSAGE_KEY, 'support_message', ['track_id', 'sender', 'client_id'])


def downgrade():
    """Back to the previous columns; ids stay as they are (AUTOINCREMENT is harmless to keep on SQLite)."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, columns in NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column.name)
    if sqlite:
        return
    op.drop_constraint(NEW_MESSAGE_KEY, 'support_message', type_='unique')
    op.create_unique_constraint('support_message_track_id_client_id_key', 'support_message', ['track_id', 'client_id'])

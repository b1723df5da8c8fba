"""individual tracks (issue 5): personal online tracks with answers, support messages and signals;
self-paced offline individual runs

Revision ID: 8756d8fb15d8
Revises: 12bf2c6015d5
Create Date: 2026-11-29 00:36:59.266386

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8756d8fb15d8'
down_revision = '12bf2c6015d5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('track',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('squad_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('pseudonym', sa.String(length=24), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('invite_hash', sa.String(length=64), nullable=True),
    sa.Column('open_modules', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['squad_id'], ['squad.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invite_hash'),
    sa.UniqueConstraint('key'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_squad_id'), ['squad_id'], unique=False)

    op.create_table('support_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=8), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['facilitator.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('track_id', 'client_id')
    )
    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_message_track_id'), ['track_id'], unique=False)

    op.create_table('track_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('track_id', 'item_id')
    )
    with op.batch_alter_table('track_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_answer_track_id'), ['track_id'], unique=False)

    op.create_table('track_signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['track_id'], ['track.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('track_signal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_signal_track_id'), ['track_id'], unique=False)

    with op.batch_alter_table('run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_paced', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('run', schema=None) as batch_op:
        batch_op.drop_column('self_paced')

    with op.batch_alter_table('track_signal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_signal_track_id'))

    op.drop_table('track_signal')
    with op.batch_alter_table('track_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_answer_track_id'))

    op.drop_table('track_answer')
    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_message_track_id'))

    op.drop_table('support_message')
    with op.batch_alter_table('track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_squad_id'))

    op.drop_table('track')

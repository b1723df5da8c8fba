"""one core for the three ways of working (issue 13): each module of a track is a self-paced run with the girl
as its one participant; track answers and signals become the run's answers and signals

Also: the attention view's columns (sound per staff member, a low check-in seen, a message read), how soon a
coach usually answers, and a track's return path (invitation expiry, the spent invitation, a return code, pause).

Every track answer is moved into the run of its module (created for it); every track signal into the run of the
module she was in (the latest module she answered in, else her first open module). Nothing is lost; the track
keeps its id and key, so the old /t/<key> links keep working.

Revision ID: c4d2e8f1a905
Revises: a7e3c1d9b211
Create Date: 2026-12-01 15:00:00

"""
import re
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8f1a905'
down_revision = 'a7e3c1d9b211'
branch_labels = None
depends_on = None

AUTOINCREMENT = {'sqlite_autoincrement': True}
MODULE_OF_ITEM = re.compile(r'^m(\d+)-')


def _rebuild() -> dict:
    """SQLite changes constraints only by rebuilding a table (keeping AUTOINCREMENT); PostgreSQL alters in place."""
    if op.get_bind().dialect.name == 'sqlite':
        return {'recreate': 'always', 'table_kwargs': AUTOINCREMENT}
    return {}


def upgrade():
    _add_columns()
    _move_tracks_into_runs()
    op.drop_table('track_signal')
    op.drop_table('track_answer')


def _add_columns():
    with op.batch_alter_table('facilitator', **_rebuild()) as batch:
        batch.add_column(sa.Column('attention_sound', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('squad', **_rebuild()) as batch:
        batch.add_column(sa.Column('reply_within', sa.String(length=16), nullable=True))
    for table in ('run', 'participant'):
        with op.batch_alter_table(table, **_rebuild()) as batch:
            if table == 'participant':  # a girl in a run whom no phone holds yet (her track, her next module)
                batch.alter_column('token_hash', existing_type=sa.String(length=64), nullable=True)
            batch.add_column(sa.Column('track_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(f'fk_{table}_track_id', 'track', ['track_id'], ['id'],
                                     ondelete='CASCADE' if table == 'run' else 'SET NULL')
            batch.create_index(f'ix_{table}_track_id', ['track_id'], unique=False)
    with op.batch_alter_table('answer', **_rebuild()) as batch:
        batch.add_column(sa.Column('seen_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('support_message', **_rebuild()) as batch:
        batch.add_column(sa.Column('read_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('track', **_rebuild()) as batch:
        batch.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('spent_invite_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('return_code_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('paused_at', sa.DateTime(), nullable=True))
        batch.create_unique_constraint('uq_track_return_code_hash', ['return_code_hash'])
        batch.create_index('ix_track_spent_invite_hash', ['spent_invite_hash'], unique=False)


def _tables():
    meta = sa.MetaData()
    return {name: sa.Table(name, meta, autoload_with=op.get_bind())
            for name in ('track', 'track_answer', 'track_signal', 'run', 'participant', 'answer', 'signal')}


def _move_tracks_into_runs():
    bind, t = op.get_bind(), _tables()
    for track in bind.execute(sa.select(t['track'])).mappings().all():
        answers = bind.execute(sa.select(t['track_answer']).where(t['track_answer'].c.track_id == track['id'])
                               .order_by(t['track_answer'].c.id)).mappings().all()
        signals = bind.execute(sa.select(t['track_signal']).where(t['track_signal'].c.track_id == track['id'])
                               .order_by(t['track_signal'].c.id)).mappings().all()
        by_module = {}
        for answer in answers:
            by_module.setdefault(_module_of(answer['item_id']), []).append(answer)
        if signals and not by_module:
            by_module[min(track['open_modules'] or [0])] = []
        girl_in = {}
        for module, rows in sorted(by_module.items()):
            girl_in[module] = _run_for(bind, t, track, module, rows)
        signal_module = max(by_module) if by_module else None
        for signal in signals:
            run_id, participant_id = girl_in[signal_module]
            bind.execute(t['signal'].insert().values(
                run_id=run_id, participant_id=participant_id, kind=signal['kind'],
                created_at=signal['created_at'], acknowledged_at=signal['acknowledged_at']))


def _module_of(item_id: str) -> int:
    match = MODULE_OF_ITEM.match(item_id or '')
    return int(match.group(1)) if match else 0


def _run_for(bind, t, track, module: int, answers) -> tuple:
    """The self-paced run of one module of the track, with her as its participant and her answers in it."""
    started = track['joined_at'] or track['created_at']
    last = max([a['created_at'] for a in answers] or [track['last_activity_at'] or started])
    run_id = bind.execute(t['run'].insert().values(
        squad_id=track['squad_id'], module_number=module, state='LIVE', join_token=secrets.token_urlsafe(16),
        join_code=None, screen_token=secrets.token_urlsafe(24), door_open=False, current_index=0,
        furthest_index=0, reveals={a['item_id']: {'results': True, 'info': True} for a in answers},
        self_paced=True, version=1, created_at=started, started_at=started, ended_at=None, purged_at=None,
        last_activity_at=last, moderated=False, screen_theme='dark', track_id=track['id'])).inserted_primary_key[0]
    participant_id = bind.execute(t['participant'].insert().values(
        run_id=run_id, pseudonym=track['pseudonym'] or '?', pseudonym_key=(track['pseudonym'] or '?').casefold(),
        token_hash=None, locale=track['locale'], removed=False,
        joined_at=started, connected=False, track_id=track['id'])).inserted_primary_key[0]
    for answer in answers:
        bind.execute(t['answer'].insert().values(
            participant_id=participant_id, run_id=run_id, item_id=answer['item_id'], value=answer['value'],
            skipped=answer['skipped'], client_id=answer['client_id'], hidden=False, approved=False,
            created_at=answer['created_at'], updated_at=answer['created_at']))
    return run_id, participant_id


def downgrade():
    """Back to track answers and signals; the track runs are folded back into them and deleted."""
    op.create_table(
        'track_answer',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('track_id', sa.Integer(), sa.ForeignKey('track.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('item_id', sa.String(length=40), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('skipped', sa.Boolean(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('track_id', 'item_id'), **AUTOINCREMENT)
    op.create_table(
        'track_signal',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('track_id', sa.Integer(), sa.ForeignKey('track.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('acknowledged_at', sa.DateTime(), nullable=True), **AUTOINCREMENT)
    _fold_runs_back()
    for table, columns in (('track', ('invited_at', 'spent_invite_hash', 'return_code_hash', 'paused_at')),
                           ('support_message', ('read_at',)), ('answer', ('seen_at',)),
                           ('squad', ('reply_within',)), ('facilitator', ('attention_sound',))):
        with op.batch_alter_table(table, **_rebuild()) as batch:
            if table == 'track':
                batch.drop_constraint('uq_track_return_code_hash', type_='unique')
                batch.drop_index('ix_track_spent_invite_hash')
            for column in columns:
                batch.drop_column(column)
    for table in ('run', 'participant'):
        with op.batch_alter_table(table, **_rebuild()) as batch:
            batch.drop_index(f'ix_{table}_track_id')
            batch.drop_constraint(f'fk_{table}_track_id', type_='foreignkey')
            batch.drop_column('track_id')


def _fold_runs_back():
    bind, t = op.get_bind(), _tables()
    runs = bind.execute(sa.select(t['run']).where(t['run'].c.track_id.is_not(None))).mappings().all()
    for run in runs:
        for answer in bind.execute(sa.select(t['answer']).where(t['answer'].c.run_id == run['id'])).mappings():
            bind.execute(t['track_answer'].insert().values(
                track_id=run['track_id'], item_id=answer['item_id'], value=answer['value'],
                skipped=answer['skipped'], client_id=answer['client_id'], created_at=answer['created_at']))
        for signal in bind.execute(sa.select(t['signal']).where(t['signal'].c.run_id == run['id'])).mappings():
            bind.execute(t['track_signal'].insert().values(
                track_id=run['track_id'], kind=signal['kind'], created_at=signal['created_at'],
                acknowledged_at=signal['acknowledged_at']))
        for table in ('signal', 'answer', 'participant'):
            bind.execute(t[table].delete().where(t[table].c.run_id == run['id']))
        bind.execute(sa.text('DELETE FROM item_tally WHERE run_id = :id'), {'id': run['id']})
        bind.execute(t['run'].delete().where(t['run'].c.id == run['id']))

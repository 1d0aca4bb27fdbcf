"""second-factor lockout, remembered browsers, TOTP secrets encrypted at rest

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The secrets are encrypted with the application's own cipher (accounts.totp_cipher), so
this migration and the running site always agree on the key: `flask db upgrade` reads the
app's settings; without an app (tests) the environment's, and a key is needed only when
there are secrets to rewrite.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.alter_column('totp_secret', existing_type=sa.String(length=64),
                           type_=sa.String(length=255), existing_nullable=True)
        batch.add_column(sa.Column('device_epoch', sa.Integer(), nullable=False,
                                   server_default=sa.text('0')))
        batch.add_column(sa.Column('device_failures', sa.Integer(), nullable=False,
                                   server_default=sa.text('0')))
        batch.add_column(sa.Column('code_failures', sa.Integer(), nullable=False,
                                   server_default=sa.text('0')))
        batch.add_column(sa.Column('code_locked_until', sa.DateTime(timezone=True),
                                   nullable=True))
    _rewrite_secrets(lambda cipher, plain: cipher.encrypt(plain.encode()).decode('ascii'))


def downgrade() -> None:
    # An undecryptable secret stops the downgrade (InvalidToken) rather than being lost.
    _rewrite_secrets(lambda cipher, token: cipher.decrypt(token.encode()).decode('ascii'))
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('code_locked_until')
        batch.drop_column('code_failures')
        batch.drop_column('device_failures')
        batch.drop_column('device_epoch')
        batch.alter_column('totp_secret', existing_type=sa.String(length=255),
                           type_=sa.String(length=64), existing_nullable=True)


def _rewrite_secrets(change: Callable[[Any, str], str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        'SELECT id, totp_secret FROM user_account WHERE totp_secret IS NOT NULL')).all()
    if not rows:
        return
    cipher = _cipher()
    for user_id, value in rows:
        bind.execute(sa.text('UPDATE user_account SET totp_secret = :value WHERE id = :id'),
                     {'value': change(cipher, value), 'id': user_id})


def _cipher() -> Any:
    from matcher import config as settings
    from matcher.data.accounts import totp_cipher

    try:
        from flask import current_app

        found: Any = dict(current_app.config)  # `flask db upgrade`: the app's settings
    except RuntimeError:  # no app: the environment, as create_app would read it
        found = settings.from_environment(os.environ)
        found['APP_ENV'] = settings.environment(found.get('APP_ENV'))
    return totp_cipher(found)

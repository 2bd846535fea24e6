"""Several replicas on one database: they share the key that signs the login cookie, so a login
made on one is good on every other, whether or not WORKBENCH_SECRET_KEY is set."""

from __future__ import annotations

from sqlalchemy import select

from consultations.accounts import SECRET_KEY_META, read_cookie, sign_cookie, stored_secret_key
from consultations.db import make_engine, session_scope
from consultations.models import Meta
from consultations.settings import load_settings
from tests.conftest import run_at_once


def test_replicas_starting_at_once_share_one_login_key_kept_in_the_database(engine, database_url):
    replicas = [make_engine(database_url) for _ in range(4)]

    def start_replica(replica) -> str:
        with session_scope(replica) as session:
            return stored_secret_key(session)

    keys, failures = run_at_once([lambda r=r: start_replica(r) for r in replicas])
    try:
        assert failures == []
        assert len(keys) == 4 and len(set(keys)) == 1
        assert len(keys[0]) >= 40
        with session_scope(engine) as session:
            kept = session.scalars(select(Meta).where(Meta.key == SECRET_KEY_META)).all()
            assert [row.value for row in kept] == keys[:1]
            # A replica started later uses the same key: a cookie from one is good on another.
            cookie = sign_cookie(keys[0], database="main", token="the-token")
            assert read_cookie(stored_secret_key(session), cookie) == ("main", "the-token")
    finally:
        for replica in replicas:
            replica.dispose()


def test_on_postgresql_without_a_secret_key_setting_the_key_is_left_to_the_database(tmp_path):
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://workbench:secret@db.internal/workbench",
            "WORKBENCH_DATA_DIR": str(tmp_path / "replica-1"),
        },
        secrets_path=tmp_path / "absent.toml",
    )
    # Empty: the pages use the key kept in the database, never one in this replica's own folder.
    assert settings.secret_key == ""
    assert not (tmp_path / "replica-1" / "secret_key").exists()


def test_a_secret_key_setting_wins_on_postgresql_too(tmp_path):
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://workbench:secret@db.internal/workbench",
            "WORKBENCH_SECRET_KEY": "the same on every replica",
        },
        secrets_path=tmp_path / "absent.toml",
    )
    assert settings.secret_key == "the same on every replica"

"""Settings: each one documented in the README, read from the environment before the Streamlit
secrets file before the default, checked with a message that names the variable."""

from __future__ import annotations

import re
import stat
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest

from consultations.errors import WorkbenchError
from consultations.settings import SETTINGS, Settings, load_setting, load_settings
from tests.conftest import ROOT, run_at_once


def settings_from(tmp_path: Path, secrets: str = "", **environ: str) -> Settings:
    """Load settings from an environment of our own and a secrets file in tmp_path."""
    path = tmp_path / "secrets.toml"
    path.write_text(secrets)
    return load_settings(
        {"WORKBENCH_DATA_DIR": str(tmp_path / "data")} | environ, secrets_path=path
    )


def test_every_field_of_settings_is_declared_once_with_help():
    assert sorted(f.name for f in fields(Settings)) == sorted(SETTINGS)
    assert len({spec.env for spec in SETTINGS.values()}) == len(SETTINGS)
    assert all(spec.help.strip().endswith(".") for spec in SETTINGS.values())


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_documented_in_the_readme_by_its_variable(name):
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.fail(f"README.md is missing at {ROOT}; it must document every setting.")
    env = SETTINGS[name].env
    assert re.search(rf"\b{env}\b", readme.read_text(encoding="utf-8")), (
        f"README.md does not mention {env} ({SETTINGS[name].help})"
    )


def test_the_defaults_put_every_database_and_the_key_under_the_data_folder(tmp_path):
    settings = settings_from(tmp_path)
    data = tmp_path / "data"
    assert settings.data_dir == data
    assert settings.database_url == f"sqlite:///{data / 'workbench.db'}"
    assert settings.demo_database_url == f"sqlite:///{data / 'demo.db'}"
    assert settings.secret_key == (data / "secret_key").read_text().strip()
    assert (
        settings.login_attempts,
        settings.lockout_minutes,
        settings.invite_days,
        settings.session_idle_hours,
        settings.cookie_secure,
        settings.migrate_on_start,
        settings.max_import_mb,
    ) == (5, 15, 7, 8, False, True, 10)
    assert settings.base_url == "http://localhost:8501"


def test_without_a_data_folder_setting_the_data_lives_in_data_beside_the_app(tmp_path):
    settings = load_settings(
        {"WORKBENCH_SECRET_KEY": "given"}, secrets_path=tmp_path / "absent.toml"
    )
    assert settings.data_dir == Path("data")
    assert settings.database_url == "sqlite:///data/workbench.db"
    assert settings.demo_database_url == "sqlite:///data/demo.db"


def test_a_data_folder_under_home_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = load_settings(
        {"WORKBENCH_DATA_DIR": "~/workbench", "WORKBENCH_SECRET_KEY": "given"},
        secrets_path=tmp_path / "absent.toml",
    )
    assert settings.data_dir == tmp_path / "workbench"


def test_the_environment_wins_over_the_secrets_file_which_wins_over_the_default(tmp_path):
    settings = settings_from(
        tmp_path,
        'WORKBENCH_PARTNERSHIP_NAME = "From the file"\n'
        'WORKBENCH_HOME_REGION = "Wales"\n'
        "WORKBENCH_LOGIN_ATTEMPTS = 3\n"
        "WORKBENCH_COOKIE_SECURE = true\n",
        WORKBENCH_PARTNERSHIP_NAME="From the environment",
    )
    assert settings.partnership_name == "From the environment"
    assert settings.home_region == "Wales"
    assert (settings.login_attempts, settings.cookie_secure) == (3, True)
    assert settings.base_url == "http://localhost:8501"


def test_sections_of_the_secrets_file_are_not_read_as_settings(tmp_path):
    settings = settings_from(
        tmp_path, '[auth]\nWORKBENCH_BASE_URL = "https://sso.example.org"\nclient_id = "x"\n'
    )
    assert settings.base_url == "http://localhost:8501"


def test_a_broken_secrets_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(WorkbenchError, match=r"secrets\.toml is not valid TOML"):
        settings_from(tmp_path, "WORKBENCH_HOME_REGION = Wales without quotes\n")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"WORKBENCH_LOGIN_ATTEMPTS": "0"}, "WORKBENCH_LOGIN_ATTEMPTS: 0 is not a positive whole"),
        (
            {"WORKBENCH_LOCKOUT_MINUTES": "-5"},
            "WORKBENCH_LOCKOUT_MINUTES: '-5' is not a positive whole number",
        ),
        (
            {"WORKBENCH_INVITE_DAYS": "a week"},
            "WORKBENCH_INVITE_DAYS: 'a week' is not a positive whole number",
        ),
        (
            {"WORKBENCH_SESSION_IDLE_HOURS": "1.5"},
            "WORKBENCH_SESSION_IDLE_HOURS: '1.5' is not a positive whole number",
        ),
        ({"WORKBENCH_COOKIE_SECURE": "maybe"}, "WORKBENCH_COOKIE_SECURE: 'maybe' is not true or"),
        (
            {"WORKBENCH_MIGRATE_ON_START": "2", "WORKBENCH_MAX_IMPORT_MB": "lots"},
            "WORKBENCH_MIGRATE_ON_START: '2' is not true or false; "
            "WORKBENCH_MAX_IMPORT_MB: 'lots' is not a positive whole number",
        ),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_the_variable(tmp_path, environ, expected):
    with pytest.raises(WorkbenchError, match=re.escape(expected)) as caught:
        settings_from(tmp_path, **environ)
    assert str(caught.value).startswith("Some settings are not valid: ")
    assert str(caught.value).endswith(". Fix them and restart.")


def test_a_bad_value_in_the_secrets_file_names_the_variable_too(tmp_path):
    with pytest.raises(WorkbenchError, match="WORKBENCH_INVITE_DAYS: 0 is not a positive"):
        settings_from(tmp_path, "WORKBENCH_INVITE_DAYS = 0\n")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" ON ", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_yes_and_no_settings_take_the_usual_words(tmp_path, text, value):
    assert settings_from(tmp_path, WORKBENCH_COOKIE_SECURE=text).cookie_secure is value


@pytest.mark.parametrize(("text", "value"), [("1", 1), (" 12 ", 12), ("007", 7)])
def test_number_settings_take_whole_numbers(tmp_path, text, value):
    assert settings_from(tmp_path, WORKBENCH_LOGIN_ATTEMPTS=text).login_attempts == value


def test_the_secret_key_is_made_once_private_to_its_owner_and_reused(tmp_path):
    first = settings_from(tmp_path)
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 40
    assert settings_from(tmp_path).secret_key == first.secret_key
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["secret_key"]


def test_processes_starting_at_once_agree_on_one_secret_key(tmp_path):
    keys, failures = run_at_once([lambda: settings_from(tmp_path).secret_key] * 8)
    assert failures == []
    assert len(set(keys)) == 1
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["secret_key"]


def test_a_secret_key_from_the_environment_is_used_and_no_key_file_is_made(tmp_path):
    settings = settings_from(tmp_path, WORKBENCH_SECRET_KEY="shared by every replica")
    assert settings.secret_key == "shared by every replica"
    assert not (tmp_path / "data" / "secret_key").exists()


def test_an_explicit_database_url_is_kept_as_given(tmp_path):
    url = "postgresql://workbench:secret@db.example.org/workbench"
    assert settings_from(tmp_path, DATABASE_URL=url).database_url == url


@pytest.mark.parametrize(
    ("secrets", "environ", "expected"),
    [
        ("", {}, "Northern Ireland"),
        ('WORKBENCH_HOME_REGION = "Wales"\n', {}, "Wales"),
        ('WORKBENCH_HOME_REGION = "Wales"\n', {"WORKBENCH_HOME_REGION": "Scotland"}, "Scotland"),
    ],
)
def test_one_setting_is_read_as_all_of_them_are_without_making_the_data_folder(
    tmp_path, secrets, environ, expected
):
    path = tmp_path / "secrets.toml"
    path.write_text(secrets)
    environ = {"WORKBENCH_DATA_DIR": str(tmp_path / "data")} | environ
    assert load_setting("home_region", environ, secrets_path=path) == expected
    assert not (tmp_path / "data").exists()
    assert load_settings(environ, secrets_path=path).home_region == expected


def test_one_bad_setting_is_refused_as_it_is_among_all_of_them(tmp_path):
    environ = {"WORKBENCH_LOGIN_ATTEMPTS": "0"}
    with pytest.raises(WorkbenchError) as one:
        load_setting("login_attempts", environ, secrets_path=tmp_path / "none.toml")
    with pytest.raises(WorkbenchError) as every:
        load_settings(environ, secrets_path=tmp_path / "none.toml")
    assert str(one.value) == str(every.value)
    assert "WORKBENCH_LOGIN_ATTEMPTS: 0 is not a positive whole" in str(one.value)


@pytest.mark.parametrize(
    ("environ", "server_port", "expected"),
    [
        ({}, None, "http://localhost:8501"),
        ({"PORT": "8601"}, None, "http://localhost:8601"),
        ({"PORT": "8601"}, 8702, "http://localhost:8702"),  # the port the server really has
        (
            {"PORT": "8601", "WORKBENCH_BASE_URL": "https://workbench.example.org"},
            8702,
            "https://workbench.example.org",
        ),
    ],
)
def test_the_default_base_url_follows_the_port_the_app_runs_on(
    tmp_path, environ, server_port, expected
):
    path = tmp_path / "secrets.toml"
    settings = load_settings(
        {"WORKBENCH_DATA_DIR": str(tmp_path / "data")} | environ,
        secrets_path=path,
        server_port=server_port,
    )
    assert settings.base_url == expected


@pytest.mark.parametrize(("port", "expected"), [("0", "0 is not a positive"), ("70000", "70000")])
def test_a_port_that_is_not_one_is_refused_by_name(tmp_path, port, expected):
    with pytest.raises(WorkbenchError, match=f"PORT: '?{expected}"):
        settings_from(tmp_path, PORT=port)


def test_make_run_serves_on_the_port_named_by_port():
    shown = subprocess.run(
        ["make", "-n", "run", "PORT=8601"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "streamlit run app.py --server.port 8601" in shown

"""The mail command lives in ``evidence`` (it queues evidence's reminders, and imports run one
way, with no exception to the import contract); the old command stops and says where it went."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from evidence import mail
from tests.conftest import ROOT, operator_environ


def test_the_import_contract_has_no_exceptions():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert "ignore_imports" not in contract, contract["name"]


def test_the_mail_command_counts_the_outbox(monkeypatch, database_url, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    assert mail.main(["status"]) == 0
    assert "Due now: 0" in capsys.readouterr().out


def test_the_old_mail_command_stops_and_says_where_it_moved():
    done = subprocess.run(
        [sys.executable, "-m", "consultations.mail", "send"],
        cwd=ROOT,
        env=operator_environ(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "python -m evidence.mail" in done.stderr

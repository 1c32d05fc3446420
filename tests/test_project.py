"""The project itself: migrations, deployment checks, settings from the environment."""

import os
import subprocess
import sys
from io import StringIO

from django.conf import settings
from django.core.management import call_command

BASE_DIR = settings.BASE_DIR


def run_manage(*args, env=None):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_migration_is_missing(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deploy_check_is_clean_with_debug_off_and_a_real_secret():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "SECRET_KEY": "k3-very-long-and-random-secret-key-for-the-deploy-check-0123456789abcdef",
            "ALLOWED_HOSTS": "crossread.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_debug_off_without_a_secret_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_is_off_unless_the_environment_turns_it_on():
    secret = {
        "SECRET_KEY": "k3-very-long-and-random-secret-key-for-the-deploy-check-0123456789abcdef"
    }
    code = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    assert "DEBUG False" in run_manage("shell", "-c", code, env=secret).stdout
    assert "DEBUG True" in run_manage("shell", "-c", code, env={"DEBUG": "1"}).stdout
    # A forgotten variable never yields debug pages: no DEBUG and no secret refuses to start.
    refused = run_manage("shell", "-c", code)
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr


def test_a_placeholder_secret_is_refused_with_debug_off():
    for weak in (
        "secret",
        "x" * 60,
        "django-insecure-crossread-development-key-do-not-use-in-production",
    ):
        result = run_manage("check", env={"DEBUG": "0", "SECRET_KEY": weak})
        assert result.returncode != 0, weak
        assert "SECRET_KEY" in result.stderr, weak


def test_database_comes_from_database_url():
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; print(connection.vendor, connection.settings_dict['NAME'])",
        env={"DATABASE_URL": "postgres://someone@db.example:5432/crossread_x", "DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql crossread_x" in result.stdout


def test_the_seeds_are_the_shared_documents_unchanged():
    names = sorted(path.name for path in (BASE_DIR / "seeds").iterdir())
    assert names == [
        "000_d911442452f9d8a6.txt",
        "001_3707027aeb539fd2.txt",
        "003_38ccf8f4c3724d70.txt",
    ]
    shared = BASE_DIR.parent / "shared" / "seeds"
    if shared.is_dir():  # on this workplace's machines: the copies are byte for byte the originals
        for name in names:
            assert (BASE_DIR / "seeds" / name).read_bytes() == (shared / name).read_bytes()

"""Settings come from the environment; production mode passes Django's deployment checks."""

import os
import subprocess
import sys

from tests.conftest import ROOT

PROD_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7Hq2vN9pLw4Rt8Kz1Bc6Md3Fg5Jy0Ua-prod-secret-for-the-check-only-Qe7Wr",
    "DJANGO_ALLOWED_HOSTS": "edition.example.org",
    "EDITION_BASE_URL": "https://edition.example.org",
    # A shared cache: without one, production is refused (issue 19.2). Nothing connects to it during the check.
    "REDIS_URL": "redis://127.0.0.1:6379/2",
}


def manage(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = dict(PROD_ENV)
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env_extra=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_database_url_selects_the_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {"DATABASE_URL": "postgres://u@db.example.org:5432/edition"}
    result = manage("shell", "-v", "0", "-c", code, env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"
    default = manage("shell", "-v", "0", "-c", code)
    assert default.stdout.strip() == "django.db.backends.sqlite3"


def test_check_deploy_refuses_a_per_process_cache_in_production():
    """Issue 19.2: without REDIS_URL each worker has its own cache, so a change made through one worker leaves
    stale pages (an un-published draft) in the others: `check --deploy` reports an error."""
    env = dict(PROD_ENV)
    del env["REDIS_URL"]
    result = manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0
    assert "edition.E001" in result.stderr + result.stdout
    assert "REDIS_URL" in result.stderr + result.stdout


def test_check_deploy_warns_when_the_public_base_url_is_the_local_default():
    env = dict(PROD_ENV)
    del env["EDITION_BASE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode != 0
    assert "edition.W001" in result.stderr + result.stdout


def test_the_local_default_has_no_shared_cache_error():
    result = manage("check", "--deploy")
    assert "edition.E001" not in result.stderr + result.stdout

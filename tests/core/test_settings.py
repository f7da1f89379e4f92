"""Settings safety: production refuses unsafe configuration and demo accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate

from kpo.accounts.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "x" * 64


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "KPO_ENV"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import kpo.settings as s; print(s.DEBUG, s.LANGUAGE_CODE)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = _import_settings(KPO_ENV="production", ALLOWED_HOSTS="kpo.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _import_settings(KPO_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_with_a_real_key_starts_without_debug_in_dutch():
    result = _import_settings(KPO_ENV="production", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "nl"]


def test_unknown_environment_is_refused():
    result = _import_settings(KPO_ENV="staging")
    assert result.returncode != 0


def test_deploy_check_is_clean_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        KPO_ENV="production",
        SECRET_KEY=STRONG_KEY + "abcdefghijklmnop!@#$%",
        ALLOWED_HOSTS="kpo.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_demo_accounts_are_refused_where_not_allowed(corpus, settings, rf):
    request = rf.post("/account/inloggen/")
    assert authenticate(request, username="professional@demo.kpo.nl", password=DEMO_PASSWORD)
    settings.DEMO_ACCOUNTS_ALLOWED = False
    assert (
        authenticate(request, username="professional@demo.kpo.nl", password=DEMO_PASSWORD) is None
    )

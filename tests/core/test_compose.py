"""docker-compose.yml describes the production-like stack and is valid."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_the_production_like_services_with_health_checks():
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = data["services"]
    assert {"postgres", "redis", "search", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "search", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert set(data["volumes"]) >= {"pgdata", "redisdata", "searchdata"}


def test_compose_config_is_valid():
    """`docker-compose config` (Debian's package, installed by tools/test) validates the file."""
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: tools/test installs it from Debian's packages"
    env = dict(os.environ, KPO_SECRET_KEY="x" * 60, POSTGRES_PASSWORD="geheim")
    result = subprocess.run(
        [compose, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

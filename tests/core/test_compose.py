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
    # The engine line CI tests: the official OpenSearch image of the embedded node's release.
    pom = (ROOT / "tools" / "opensearch" / "pom.xml").read_text()
    release = pom.split("<opensearch.version>")[1].split("<")[0]
    assert services["search"]["image"] == f"opensearchproject/opensearch:{release}"
    assert data["x-kpo-env"]["SEARCH_ENGINE"] == "opensearch"


def test_compose_config_is_valid():
    """`docker-compose config` (Debian's package, installed by tools/test) validates the file."""
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: tools/test installs it from Debian's packages"
    env = dict(os.environ, KPO_SECRET_KEY="x" * 60, POSTGRES_PASSWORD="geheim")
    variants = (["docker-compose.yml"], ["docker-compose.yml", "docker-compose.elasticsearch.yml"])
    for files in variants:
        args = [part for name in files for part in ("-f", name)]
        result = subprocess.run(
            [compose, *args, "config"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    # The Elasticsearch variant switches the engine of every app service.
    merged = yaml.safe_load(result.stdout)["services"]
    assert merged["search"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:9.")
    for name in ("web", "worker", "beat", "migrate"):
        assert merged[name]["environment"]["SEARCH_ENGINE"] == "elasticsearch", name

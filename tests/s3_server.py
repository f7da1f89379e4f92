"""A real S3-compatible server for tests (docs/decisions/0022): moto's standalone server, a
separate HTTP server on a free loopback port (not an in-process mock of boto), and ``STORAGES``
exactly as ``kpo/settings.py`` builds them from the environment, pointed at it.

    # in a conftest.py: from tests.s3_server import s3, s3_endpoint  # noqa: F401
"""

from __future__ import annotations

import socket

import boto3
import pytest
from django.test import override_settings
from moto.server import ThreadedMotoServer

from kpo import settings as kpo_settings

BUCKET = "kpo-media-test"
KEYS = {"aws_access_key_id": "kpo-test", "aws_secret_access_key": "kpo-test-secret"}
REGION = "eu-west-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """A fresh bucket and ``STORAGES`` exactly as ``kpo/settings.py`` builds them from the
    environment, pointed at the loopback server."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    storages = kpo_settings.s3_storages(
        {
            "KPO_MEDIA_S3_BUCKET": BUCKET,
            "KPO_MEDIA_S3_ENDPOINT_URL": s3_endpoint,
            "KPO_MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "KPO_MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "KPO_MEDIA_S3_REGION": REGION,
        }
    )
    assert storages is not None
    with override_settings(STORAGES={**settings.STORAGES, **storages}):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def bucket_keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

"""Kennisbank documents on S3-compatible storage (docs/decisions/0022): stored through the
service (content check) into the bucket, streamed by our download view and by Wagtail's serve
view only after the access rule."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.kennisbank.conftest import pdf_bytes, stored_document
from tests.s3_server import BUCKET, bucket_keys

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_closed_document_file_is_in_the_bucket_and_served_only_to_members(s3, publish_document):
    community = CommunityFactory(visibility="closed")
    member = MembershipFactory(community=community).user
    payload = pdf_bytes("Verslag op objectopslag")
    document = stored_document("Verslag", payload, "verslag.pdf")
    publish_document(title="Verslag besloten", community=community, attachments=[document])

    key = f"media/{document.file.name}"
    assert key in bucket_keys(s3)
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == payload
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"]["Type"] == "Group"] == []

    download = reverse("kennisbank:download", args=[document.pk])
    response = _login(member).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == payload
    served = _login(member).get(document.url)  # Wagtail's serve view streams from storage
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == payload

    outsider = _login(UserFactory())
    assert outsider.get(download).status_code == 404
    assert outsider.get(document.url).status_code == 404

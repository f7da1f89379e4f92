"""Community files on S3-compatible storage (docs/decisions/0022): a real S3 server (moto's
standalone server, a separate HTTP server on a loopback port) stands in for the object store;
the platform talks to it only through django-storages, as in production."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from communities import services
from communities.models import Attachment
from kpo import settings as kpo_settings
from tests.factories import MembershipFactory
from tests.s3_server import BUCKET, bucket_keys

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    return b"%PDF-1.7\n" + b"".join(b"%% regel %05d\n" % i for i in range(20_000)) + b"%%EOF\n"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_attachment_lives_in_the_bucket_privately_and_is_served_after_the_access_check(
    s3, world, django_capture_on_commit_callbacks
):
    payload = _pdf()
    attachment = services.attachment_create(
        community=world.closed,
        user=world.member,
        uploaded=SimpleUploadedFile("verslag.pdf", payload, content_type="application/pdf"),
    )

    # The object is in the bucket under the private prefix, with no grant beyond its owner.
    key = f"private/{attachment.file.name}"
    assert bucket_keys(s3) == [key]
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == payload
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"]["Type"] == "Group"] == []
    with pytest.raises(NotImplementedError):
        attachment.file.url  # noqa: B018 - private files have no URL, only the view serves them

    url = reverse("communities:attachment", kwargs={"slug": world.closed.slug, "pk": attachment.pk})
    response = _login(world.member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == payload
    assert response["Content-Disposition"].startswith("attachment;")
    assert _login(world.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, actor=world.member)
    assert bucket_keys(s3) == []
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert _login(world.member).get(url).status_code == 404


def test_a_refused_upload_writes_nothing_to_the_bucket(s3, world):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(ValidationError, match="uitvoerbaar bestand"):
        services.attachment_create(
            community=world.closed,
            user=world.member,
            uploaded=SimpleUploadedFile("jaarverslag.pdf", exe, content_type="application/pdf"),
        )
    assert bucket_keys(s3) == []


def test_only_the_uploader_or_a_moderator_deletes_a_file(
    s3, world, django_capture_on_commit_callbacks
):
    attachment = services.attachment_create(
        community=world.closed,
        user=world.member,
        uploaded=SimpleUploadedFile("notitie.txt", b"Alleen voor leden.\n"),
    )
    other = world.outsider
    MembershipFactory(community=world.closed, user=other)
    with pytest.raises(PermissionDenied, match="eigen bestanden"):
        services.attachment_delete(attachment=attachment, actor=other)
    assert len(bucket_keys(s3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, actor=world.manager)
    assert bucket_keys(s3) == []
    log = world.closed.moderation_log.get()
    assert (log.action, log.actor, log.note) == ("delete", world.manager, "notitie.txt")


def test_the_environment_decides_the_backend():
    assert kpo_settings.s3_storages({}) is None
    storages = kpo_settings.s3_storages(
        {
            "KPO_MEDIA_S3_BUCKET": "b",
            "KPO_MEDIA_S3_CUSTOM_DOMAIN": "media.example.nl",
            "KPO_MEDIA_S3_QUERYSTRING_AUTH": "false",
        }
    )
    assert storages is not None
    media, private = storages["default"]["OPTIONS"], storages["private"]["OPTIONS"]
    assert storages["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (media["custom_domain"], media["querystring_auth"]) == ("media.example.nl", False)
    # Private files never get the public domain nor unsigned URLs, and no object gets an ACL.
    assert (private["custom_domain"], private["querystring_auth"]) == (None, True)
    assert media["default_acl"] is None and private["default_acl"] is None

"""Open Badges 3.0: the exported credential validates against 1EdTech's JSON schema (vendored in
academie/schemas/), its JWT signature verifies with the public key the platform publishes, and
only the holder downloads it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey
from jsonschema import Draft201909Validator, FormatChecker  # type: ignore[import-untyped]

from academie import services
from academie.models import Certificate, TrainingPage
from academie.openbadges import SCHEMA_PATH, openbadges_credential, openbadges_jwt
from tests.academie.conftest import answer_ids, make_course, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["$id"].endswith("/ob_v3p0_achievementcredential_schema.json")
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=FormatChecker())


def _course_certificate(user, *, months=12):
    course = make_course(slug=f"badge-{user.pk}")
    course.certificate_valid_months = months
    course.save()
    services.course_enrol(user=user, course=course)
    for lesson in course.lessons.order_by("sort_order"):
        services.lesson_complete(user=user, lesson=lesson)
    attempt = services.quiz_submit(
        user=user, course=course, answers=answer_ids(course, q1="B", q2="AC")
    )
    return attempt.certificate


def _errors(validator, document):
    return [error.message for error in validator.iter_errors(document)]


def test_a_course_certificate_validates_against_the_ob3_schema(validator, learner):
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False):
        certificate = _course_certificate(learner)
    credential = openbadges_credential(certificate=certificate)
    assert _errors(validator, credential) == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["validFrom"] == "2026-05-01T09:00:00Z"
    assert credential["validUntil"] == "2027-05-01T09:00:00Z"
    assert credential["credentialSubject"]["achievement"]["name"] == certificate.course_title
    assert learner.email not in json.dumps(credential)
    # The test can fail: the same credential without its required parts does not validate.
    broken = copy.deepcopy(credential)
    del broken["validFrom"]
    broken["type"] = ["VerifiableCredential"]
    assert len(_errors(validator, broken)) >= 2


def test_an_attendance_certificate_validates_too(validator, learner):
    session = make_session(capacity=2)
    services.session_register(user=learner, session=session)
    staff = UserFactory(groups=["Academie"])
    services.attendance_mark(session=session, attended_user_ids=[learner.pk], actor=staff)
    certificate = Certificate.objects.get(user=learner, training=session.training)
    assert TrainingPage.objects.get(pk=session.training_id).certificate_valid_months is None
    credential = openbadges_credential(certificate=certificate)
    assert _errors(validator, credential) == []
    assert "validUntil" not in credential
    assert "Utrecht" in credential["credentialSubject"]["achievement"]["criteria"]["narrative"]


def test_the_jwt_verifies_with_the_published_key_and_carries_the_claims(client, learner):
    certificate = _course_certificate(learner)
    token = openbadges_jwt(certificate=certificate)
    header = json.loads(_b64(token.split(".")[0]))
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert header == {
        "alg": "EdDSA",
        "kid": base + reverse("certificaat:openbadges_key"),
        "typ": "JWT",
    }
    # A verifier dereferences the kid (anonymous, no login) to the public JWK.
    published = client.get(header["kid"].removeprefix(base))
    assert published.status_code == 200
    jwk = published.json()
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    decoded = jwt.decode(token, OKPKey.import_key(jwk), algorithms=["EdDSA"])
    claims = decoded.claims
    credential = openbadges_credential(certificate=certificate)
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    assert claims["exp"] == int(certificate.expires_at.timestamp())
    assert {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf", "exp"}} == (
        credential
    )
    # A changed payload no longer verifies; neither does another key.
    head, payload, signature = token.split(".")
    forged = json.loads(_b64(payload))
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Iemand Anders"
    forged_token = ".".join([head, _b64e(json.dumps(forged)), signature])
    with pytest.raises(BadSignatureError):
        jwt.decode(forged_token, OKPKey.import_key(jwk), algorithms=["EdDSA"])
    other = OKPKey.generate_key("Ed25519", private=True)
    with pytest.raises(BadSignatureError):
        jwt.decode(token, OKPKey.import_key(other.as_dict(private=False)), algorithms=["EdDSA"])


def test_the_issuer_profile_is_published(client):
    profile = client.get(reverse("certificaat:openbadges_issuer"))
    assert profile.status_code == 200
    assert profile.json()["type"] == ["Profile"]
    assert profile.json()["id"].endswith(reverse("certificaat:openbadges_issuer"))


def test_only_the_holder_downloads_the_badge_and_not_once_revoked(client, learner):
    certificate = _course_certificate(learner)
    url = reverse("academie:certificate_openbadge", args=[certificate.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/certificates/{certificate.pk}/open-badge").status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response.content.decode().count(".") == 2
    api = client.get(f"/api/v1/certificates/{certificate.pk}/open-badge")
    assert api.status_code == 200
    assert api.json()["credential"]["id"].endswith(f"/certificaat/{certificate.code}/")
    assert api.json()["jwt"].count(".") == 2
    my_learning = client.get(reverse("academie:my_learning")).content.decode()
    assert url in my_learning
    staff = UserFactory(groups=["Academie"])
    services.certificate_revoke(certificate=certificate, by=staff, reason="Fraude")
    assert client.get(url).status_code == 302
    assert client.get(f"/api/v1/certificates/{certificate.pk}/open-badge").status_code == 400


def _b64(part: str) -> str:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def _b64e(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

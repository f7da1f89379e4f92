"""Open Badges 3.0: a certificate as a signed ``OpenBadgeCredential`` (a W3C Verifiable Credential,
VC Data Model 2.0), see docs/decisions/0030.

The credential is secured with the JSON Web Token proof format of OB 3.0 (§8.2): a compact JWS
whose payload is the credential plus the registered claims ``iss``, ``jti``, ``sub``, ``nbf``
(and ``exp`` with a ``validUntil``), signed with the issuer's Ed25519 key (``alg`` EdDSA). The
JOSE header names the key by ``kid``: the absolute URL of the public JWK, which the platform
publishes (``openbadges_public_jwk``), so any verifier can fetch it and check the signature.

The signing key is PEM text in ``settings.KPO_BADGE_SIGNING_KEY`` or a file named by
``settings.KPO_BADGE_SIGNING_KEY_FILE``; when that file does not exist yet (development, tests),
a new key is generated into it once. The schema the tests validate against is 1EdTech's own,
vendored under ``academie/schemas/`` with its licence.
"""

from __future__ import annotations

import functools
import os
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import OKPKey

if TYPE_CHECKING:
    from academie.models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_PATH = (
    Path(__file__).resolve().parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
)
ALGORITHM = "EdDSA"
# RFC 9864 deprecates "EdDSA" in favour of the fully specified "Ed25519", which joserfc warns
# about; OB 3.0 verifiers and wallets know "EdDSA" (ADR 0030), so it stays until they move.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", module="joserfc")
MEDIA_TYPE = "application/vc+jwt"


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _load_or_create_pem(path: Path) -> bytes:
    """The PEM in ``path``; generated there first when missing. Creating with ``O_EXCL`` makes
    concurrent first starts (test workers) agree on one key: the loser reads the winner's."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = OKPKey.generate_key("Ed25519", private=True)
    pem = key.as_pem(private=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return pem


@functools.lru_cache(maxsize=4)
def _signing_key(pem_setting: str, file_setting: str) -> OKPKey:
    pem = pem_setting.encode() if pem_setting.strip() else _load_or_create_pem(Path(file_setting))
    key = OKPKey.import_key(pem)
    if key.as_dict(private=False).get("crv") != "Ed25519":
        raise ValueError("KPO_BADGE_SIGNING_KEY must be an Ed25519 key")
    return key


def openbadges_signing_key() -> OKPKey:
    """The issuer's private Ed25519 key (from settings; see the module docstring)."""
    return _signing_key(
        getattr(settings, "KPO_BADGE_SIGNING_KEY", ""),
        getattr(settings, "KPO_BADGE_SIGNING_KEY_FILE", ""),
    )


def openbadges_key_id() -> str:
    """The ``kid`` of the signing key: the absolute URL of its published public JWK."""
    return _base_url() + reverse("certificaat:openbadges_key")


def openbadges_issuer_id() -> str:
    return _base_url() + reverse("certificaat:openbadges_issuer")


def openbadges_public_jwk() -> dict[str, Any]:
    """The public half of the signing key as a JWK (never ``d``), with its ``kid``."""
    public = openbadges_signing_key().as_dict(private=False)
    public.pop("d", None)
    return {**public, "kid": openbadges_key_id(), "alg": ALGORITHM, "use": "sig"}


def openbadges_issuer_profile() -> dict[str, Any]:
    """The issuer's OB 3.0 ``Profile``, published at its own id."""
    return {
        "@context": CONTEXT,
        "id": openbadges_issuer_id(),
        "type": ["Profile"],
        "name": settings.KPO_BADGE_ISSUER_NAME,
        "url": _base_url() + "/",
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def openbadges_credential(*, certificate: Certificate) -> dict[str, Any]:
    """The certificate as an OB 3.0 ``OpenBadgeCredential`` (unsigned JSON).

    The credential's id is the public verification URL of the certificate (which also shows
    whether it was revoked since). The holder is identified by a stable, opaque URN and by the
    name on the certificate; no e-mail address leaves the platform."""
    from academie.selectors import certificate_verify_url

    base = _base_url()
    page = certificate.course or certificate.training
    achievement_url = base + (page.url if page is not None and page.url else "/academie/")
    if certificate.training_id:
        narrative = (
            f"Aanwezig bij de training {certificate.course_title} ({certificate.session_label})."
        )
        kind = "training"
    else:
        narrative = (
            f"Alle lessen van de e-learning {certificate.course_title} afgerond en geslaagd "
            "voor de eindtoets."
        )
        kind = "e-learning"
    summary = getattr(page, "summary", "") or certificate.course_title
    subject_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/academie/deelnemer/{certificate.user_id}")
    credential: dict[str, Any] = {
        "@context": CONTEXT,
        "id": base + certificate_verify_url(code=certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": openbadges_issuer_id(),
            "type": ["Profile"],
            "name": settings.KPO_BADGE_ISSUER_NAME,
            "url": base + "/",
        },
        "name": certificate.course_title,
        "description": f"Certificaat {kind}: {certificate.course_title}",
        "validFrom": _iso(certificate.issued_at),
        "awardedDate": _iso(certificate.issued_at),
        "credentialSubject": {
            "id": f"urn:uuid:{subject_id}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                }
            ],
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": summary,
                "criteria": {"narrative": narrative},
            },
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_at is not None:
        credential["validUntil"] = _iso(certificate.expires_at)
    return credential


def openbadges_jwt(*, certificate: Certificate) -> str:
    """The credential signed as a compact JWS (OB 3.0 JSON Web Token proof format)."""
    credential = openbadges_credential(certificate=certificate)
    claims: dict[str, Any] = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(certificate.issued_at.timestamp()),
    }
    if certificate.expires_at is not None:
        claims["exp"] = int(certificate.expires_at.timestamp())
    header = {"alg": ALGORITHM, "kid": openbadges_key_id(), "typ": "JWT"}
    return jwt.encode(header, claims, openbadges_signing_key(), algorithms=[ALGORITHM])

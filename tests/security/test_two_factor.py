"""Staff cannot enter the admin without a second factor; with a verified TOTP code they can."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities.models import Membership
from kpo.security.roles import user_requires_2fa
from tests.factories import MembershipFactory, UserFactory
from tests.security.conftest import totp_token

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def _login(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_staff_without_second_factor_is_sent_to_setup(client, path):
    editor = UserFactory(groups=["Redacteuren"], is_staff=True)
    client.force_login(editor)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_setup"))


def test_staff_with_device_must_verify_and_then_enters_the_admin(client, totp_device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off after a wrong code
    admin = UserFactory(is_staff=True, is_superuser=True)
    device = totp_device(admin)
    _login(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_verify"))

    wrong = client.post(reverse("security:otp_verify"), {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "klopt niet" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    ok = client.post(
        reverse("security:otp_verify"), {"token": totp_token(device), "next": "/admin/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_setup_confirms_device_and_issues_one_time_recovery_codes(client):
    editor = UserFactory(groups=["Redactieraad"])
    client.force_login(editor)
    page = client.get(reverse("security:otp_setup"), {"next": "/admin/"})
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    response = client.post(
        reverse("security:otp_setup"), {"token": totp_token(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    # A recovery code works once.
    assert match_token(editor, codes[0]) is not None
    assert match_token(editor, codes[0]) is None


def test_password_login_of_a_moderator_must_finish_the_second_step_first(client):
    moderator = UserFactory()
    MembershipFactory(user=moderator, role=Membership.Role.MODERATOR)
    assert user_requires_2fa(moderator)
    response = _login(client, moderator)
    assert response["Location"].startswith(reverse("security:otp_setup"))
    # Any other page waits for the second factor too.
    other = client.get(reverse("accounts:profile"))
    assert other.status_code == 302
    assert other["Location"].startswith(reverse("security:otp_setup"))


def test_professional_logs_in_without_second_factor(client):
    professional = UserFactory()
    assert not user_requires_2fa(professional)
    response = _login(client, professional)
    assert response.status_code == 302
    assert not response["Location"].startswith("/account/tweestapsverificatie")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_roles_that_need_two_factor():
    assert user_requires_2fa(UserFactory(groups=["Ambassadeurs"]))
    assert user_requires_2fa(UserFactory(groups=["Academie"]))
    manager = UserFactory()
    MembershipFactory(user=manager, role=Membership.Role.MANAGER)
    assert user_requires_2fa(manager)
    former = UserFactory()
    MembershipFactory(user=former, role=Membership.Role.MANAGER, state=Membership.State.REMOVED)
    assert not user_requires_2fa(former)

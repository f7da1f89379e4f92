"""Door matrix of the second factor: every route that can log a user in, and the rule on each.

The routes are derived from the URL resolver (Wagtail's admin and the libraries' views
included): a route whose view logs a user in or hands out an API token, and that is not in
``LOGIN_DOORS``, fails ``test_every_login_route_is_in_the_matrix``. For each door a
password-only login of a staff account, and of a moderator who has TOTP set up, gives no usable
session: pages redirect to the challenge, the API answers 403 in the platform's error format, a
restricted download, the secret community's thread and the review queue stay shut, and the
header shows nothing personal. The same requests succeed once the second factor is verified,
so every assertion can fail.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from communities.models import Community, Membership
from communities.services import thread_create
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.kennisbank.conftest import pdf_bytes, stored_document
from tests.security.conftest import totp_token

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord-2026"


# --- which routes log a user in ----------------------------------------------------------------

# A view logs in when it (or a class it inherits from) calls Django's ``login()``; a token
# endpoint when it hands out an API token.
_LOGIN_CALL = re.compile(r"(?<![\w.])(auth_login|login)\(\s*(self\.)?request|\.login\(\s*request")
_TOKEN_CALL = re.compile(r"api_token_create\(|AuthToken\.objects\.create\(|Token\.objects\.")


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), name, entry.callback


def _view_objects(callback) -> list:
    """The function or class behind a URL callback, through decorators."""
    seen = []
    func = callback
    while func is not None:
        seen.append(func)
        for attr in ("view_class", "cls"):
            klass = getattr(func, attr, None)
            if klass is not None:
                seen.extend(c for c in klass.__mro__ if c is not object)
        func = getattr(func, "__wrapped__", None)
    return seen


_SOURCES: dict[int, str] = {}


def _function_source(func) -> str:
    key = id(getattr(func, "__code__", func))
    if key not in _SOURCES:
        try:
            _SOURCES[key] = inspect.getsource(func)
        except (OSError, TypeError):
            _SOURCES[key] = ""
    return _SOURCES[key]


def _source(obj) -> str:
    """The source of a function, or of every method a class defines itself (read through the
    methods' code objects: parsing whole modules per class would take minutes)."""
    if not isinstance(obj, type):
        return _function_source(obj) if inspect.isfunction(obj) else ""
    parts = []
    for member in vars(obj).values():
        func = getattr(member, "__func__", member)
        if inspect.isfunction(func):
            parts.append(_function_source(func))
    return "\n".join(parts)


def logs_in(callback) -> bool:
    objects = _view_objects(callback)
    if any(
        isinstance(o, type) and issubclass(o, LoginView | PasswordResetConfirmView) for o in objects
    ):
        return True
    sources = [_source(o) for o in objects]
    return any(_LOGIN_CALL.search(s) or _TOKEN_CALL.search(s) for s in sources)


def login_routes() -> dict[str, str]:
    """Route name (or pattern when unnamed) -> pattern, of every route that logs in."""
    found = {}
    for pattern, name, callback in _walk(get_resolver().url_patterns):
        if logs_in(callback):
            found[name or pattern] = pattern
    return found


# --- the doors: each performs a password-only login on ``client`` ------------------------------


def door_front_end_login(client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def door_wagtail_admin_login(client, user) -> None:
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def door_password_reset(client, user) -> None:
    """Reset the password through the e-mailed link, then log in with the new one."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("security:password_reset_confirm", args=[uid, token])
    form_url = client.get(url)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("security:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    if not client.session.get("_auth_user_id"):  # no post_reset_login: log in with it
        login = client.post(
            reverse("accounts:login"), {"username": user.email, "password": NEW_PASSWORD}
        )
        assert login.status_code == 302


def door_wagtail_frontend_login(client, user) -> None:
    """Wagtail's own front-end login (for private pages), a plain Django LoginView."""
    response = client.post(
        reverse("wagtailcore_login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


# Doors that must log nobody in: each returns the response of its attempt.


def closed_wagtail_password_reset(client, user):
    """Wagtail's admin password reset is switched off (ours, with lock-out, is the only one)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return client.get(reverse("wagtailadmin_password_reset_confirm", args=[uid, token]))


def closed_passkey_login(client, user):
    """Passkeys are a second factor only: without a password login first, the ceremony's
    completion logs nobody in."""
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 403
    return client.post(
        reverse("otp_webauthn:credential-authentication-complete"),
        data="{}",
        content_type="application/json",
    )


SESSION_DOORS: dict[str, Callable] = {
    "accounts:login": door_front_end_login,
    "wagtailadmin_login": door_wagtail_admin_login,
    "wagtailcore_login": door_wagtail_frontend_login,
    "security:password_reset_confirm": door_password_reset,
}
CLOSED_DOORS: dict[str, Callable] = {
    "wagtailadmin_password_reset_confirm": closed_wagtail_password_reset,
    "otp_webauthn:credential-authentication-complete": closed_passkey_login,
}
# Doors that hand out API tokens: refused for every role that needs a second factor.
TOKEN_DOORS = {"api-token", "security:api_tokens"}
LOGIN_DOORS = set(SESSION_DOORS) | set(CLOSED_DOORS) | TOKEN_DOORS


def test_every_login_route_is_in_the_matrix():
    found = login_routes()
    missing = set(found) - LOGIN_DOORS
    assert not missing, f"routes that log in but are not in the door matrix: {missing}"
    stale = LOGIN_DOORS - set(found)
    assert not stale, f"doors in the matrix that the resolver does not find: {stale}"


def test_the_django_admin_is_gone(client):
    assert not any(p.startswith("django-admin/") for p, _, _ in _walk(get_resolver().url_patterns))
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert client.get("/django-admin/login/").status_code == 404
    response = client.post("/django-admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


# --- the world behind the doors ----------------------------------------------------------------


class World:
    def __init__(self) -> None:
        self.secret = CommunityFactory(
            visibility=Community.Visibility.SECRET, slug="geheim-deur", name="Geheim"
        )
        self.staff = UserFactory(is_staff=True, groups=["Redactieraad"], first_name="Stafje")
        MembershipFactory(community=self.secret, user=self.staff)
        self.moderator = UserFactory(first_name="Modje")
        MembershipFactory(
            community=self.secret, user=self.moderator, role=Membership.Role.MODERATOR
        )
        self.moderator_device = TOTPDevice.objects.create(
            user=self.moderator, name="app", confirmed=True
        )
        self.thread = thread_create(
            community=self.secret, author=self.moderator, title="Geheim onderwerp", body="Tekst"
        )
        self.file = stored_document("Geheim bestand", pdf_bytes(), "geheim.pdf", user=self.staff)
        self._attach(self.file)

    def _attach(self, document) -> None:
        from kennisbank.models import (
            DocumentType,
            KennisbankIndexPage,
            KnowledgeDocumentAttachment,
            KnowledgeDocumentPage,
        )
        from kennisbank.services import document_import_published
        from kpo.themes.models import Theme

        page = KnowledgeDocumentPage(
            title="Document van de geheime community",
            summary="Alleen voor leden",
            doc_type=DocumentType.objects.get(slug="factsheet"),
            year=2025,
            community=self.secret,
        )
        page.themes = [Theme.objects.get(slug="vastgoed")]
        page.attachments = [KnowledgeDocumentAttachment(document=document)]
        KennisbankIndexPage.objects.get().add_child(instance=page)
        # The sanctioned path past the publication guard: an already reviewed document.
        document_import_published(page=page)

    def protected(self) -> dict[str, str]:
        return {
            "page": reverse("accounts:profile"),
            "admin": "/admin/",
            "thread": reverse(
                "communities:thread", kwargs={"slug": self.secret.slug, "pk": self.thread.pk}
            ),
            "review_queue": reverse("kennisbank:review_queue"),
            "download": reverse("kennisbank:download", args=[self.file.pk]),
        }


@pytest.fixture
def world(settings, tmp_path, corpus) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return World()


def assert_no_usable_session(client, world: World, user) -> None:
    assert client.session.get("_auth_user_id") == str(user.pk), "the door did not log in"
    challenge = ("/account/tweestapsverificatie/",)
    for what, url in world.protected().items():
        response = client.get(url)
        assert response.status_code == 302, f"{what} answered {response.status_code}"
        assert response["Location"].startswith(challenge), f"{what} -> {response['Location']}"
    api = client.get(reverse("api-me"))
    assert api.status_code in (401, 403)
    assert api.json()["code"] == "second_factor_required"
    post = client.post(
        reverse("communities:reply", kwargs={"slug": world.secret.slug, "pk": world.thread.pk}),
        {"body": "Mag dit?"},
    )
    assert post.status_code == 302 and post["Location"].startswith(challenge)
    assert not world.thread.replies.filter(body__contains="Mag dit?").exists()
    # The challenge page itself: nothing personal in the header.
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    page = client.get(reverse("security:otp_verify" if has_totp else "security:otp_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert user.first_name not in html and user.email not in html
    assert "Meldingen" not in html and "Wie weet wat" not in html
    assert "Uitloggen" in html


def assert_usable_after_verification(client, world: World, user) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    )
    ok = client.post(reverse("security:otp_verify"), {"token": totp_token(device)})
    assert ok.status_code == 302
    for what, url in world.protected().items():
        if what == "admin" and not user.is_staff:
            continue
        assert client.get(url).status_code == 200, what
    assert client.get(reverse("api-me")).status_code == 200


@pytest.mark.parametrize("door", sorted(SESSION_DOORS))
@pytest.mark.parametrize("who", ["staff", "moderator_with_totp"])
def test_password_only_login_gives_no_usable_session(client, world, door, who):
    user = world.staff if who == "staff" else world.moderator
    SESSION_DOORS[door](client, user)
    assert_no_usable_session(client, world, user)
    assert_usable_after_verification(client, world, user)


@pytest.mark.parametrize("door", sorted(CLOSED_DOORS))
def test_closed_doors_log_nobody_in(client, world, door):
    response = CLOSED_DOORS[door](client, world.staff)
    assert response.status_code in (403, 404)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("api-me")).status_code in (401, 403)


def test_token_doors_give_staff_no_token(client, world):
    for user in (world.staff, world.moderator):
        response = client.post(reverse("api-token"), {"username": user.email, "password": PASSWORD})
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert not AuthToken.objects.filter(user=user).exists()
    # The "Mijn API-tokens" page, behind the verified second factor, makes none either.
    door_front_end_login(client, world.moderator)
    client.post(reverse("security:otp_verify"), {"token": totp_token(world.moderator_device)})
    page = client.post(reverse("security:api_tokens"), {"create": "1"}, follow=True)
    assert page.status_code == 200
    assert "geen API-token" in page.content.decode()
    assert not AuthToken.objects.filter(user=world.moderator).exists()


def test_a_second_login_in_a_verified_session_asks_the_second_factor_again(client, world):
    user = world.moderator
    door_front_end_login(client, user)
    client.post(reverse("security:otp_verify"), {"token": totp_token(world.moderator_device)})
    assert client.get(reverse("accounts:profile")).status_code == 200
    door_wagtail_admin_login(client, user)
    assert client.get(reverse("accounts:profile")).status_code == 302


# --- a role gained while logged in -------------------------------------------------------------


ROLE_CHANGES = {
    "moderator": lambda u, w: MembershipFactory(
        community=CommunityFactory(), user=u, role=Membership.Role.MODERATOR
    ),
    "community_manager": lambda u, w: _promote(u, w.secret, Membership.Role.MANAGER),
    "redactieraad": lambda u, w: u.groups.add(_group("Redactieraad")),
    "staff_group_reverse": lambda u, w: _group("Academie").user_set.add(u),
    "is_staff": lambda u, w: _set(u, is_staff=True),
    "superuser": lambda u, w: _set(u, is_superuser=True),
}


def _promote(user, community, role):
    membership = Membership.objects.get(user=user, community=community)
    membership.role = role
    membership.save()


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def _set(user, **fields):
    for key, value in fields.items():
        setattr(user, key, value)
    user.save()


@pytest.mark.parametrize("change", sorted(ROLE_CHANGES))
def test_gaining_a_mandatory_role_challenges_the_session_and_revokes_tokens(client, world, change):
    from kpo.security.services import api_token_create

    professional = UserFactory(first_name="Profje")
    MembershipFactory(community=world.secret, user=professional)
    _, token = api_token_create(user=professional)
    api = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 200
    door_front_end_login(client, professional)
    thread_url = world.protected()["thread"]
    assert client.get(thread_url).status_code == 200

    ROLE_CHANGES[change](professional, world)

    response = client.get(thread_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:otp_setup"))
    assert client.get(reverse("api-me")).status_code == 403
    client.logout()
    refused = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.status_code in (401, 403)
    assert refused.json()["code"] == "authentication_failed"  # the token is gone
    assert not AuthToken.objects.filter(user=professional).exists()


def test_a_token_is_refused_for_a_mandatory_role_even_without_the_signal(client, world):
    """Defence in depth: a role set in a way no signal sees (a queryset update)."""
    from django.contrib.auth import get_user_model

    from kpo.security.services import api_token_create

    professional = UserFactory()
    _, token = api_token_create(user=professional)
    get_user_model().objects.filter(pk=professional.pk).update(is_staff=True)
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "second_factor_required"

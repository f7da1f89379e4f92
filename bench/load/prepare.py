"""Prepare a load run against the production-like site: load users with ready sessions, and the
URLs the scenario visits. Run with ``manage.py shell -c "exec(open(...).read())"`` under the
environment of ``tools/prodlike env``; writes the JSON named by ``LOAD_TARGETS``."""

import json
import os

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

from communities.models import Community, Membership, Thread
from kpo.accounts.models import User
from kpo.themes.models import ThemePage

USERS = int(os.environ.get("LOAD_USERS", "60"))
BACKEND = "kpo.security.backends.LockoutEmailBackend"

with transaction.atomic():
    communities = list(Community.objects.filter(visibility="open").order_by("pk"))
    threads = list(
        Thread.objects.filter(
            community__in=communities, is_deleted=False, is_hidden=False, locked=False
        ).select_related("community")[:40]
    )
    sessions = []
    for n in range(USERS):
        user, _ = User.objects.get_or_create(
            email=f"belasting{n}@gemeente.example",
            defaults={"first_name": "Belasting", "last_name": f"Test {n}"},
        )
        for community in communities:
            Membership.objects.get_or_create(
                community=community,
                user=user,
                defaults={"role": "member", "state": "active"},
            )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)

targets = {
    "sessions": sessions,
    "themes": [p.url for p in ThemePage.objects.live().order_by("pk") if p.url],
    "threads": [t.get_absolute_url() for t in threads],
    "queries": [
        "bibob",
        "motorbendes",
        "witwassen",
        "vastgoed",
        "ondermijning",
        "drugs",
        "integriteit",
        "huisvesting",
        "arbeidsuitbuiting",
        "zorgfraude",
    ],
}
with open(os.environ["LOAD_TARGETS"], "w") as fh:
    json.dump(targets, fh)
print(
    f"{len(sessions)} sessions, {len(targets['themes'])} theme pages, "
    f"{len(targets['threads'])} threads"
)

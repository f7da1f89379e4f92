"""Two people take the last seat at the same moment: exactly one gets it.

Real threads, each with its own database connection and its own committed transaction, released
together by a barrier; the session row lock in ``session_register`` (backed by the partial unique
seat constraint) decides.

Why not ``django_db(transaction=True)``: its teardown flushes every table, including Wagtail's
root page and collection, after which the shared ``corpus`` fixture can no longer reload the
corpus and every later test in the suite that needs it fails. Instead the rows the threads need
are committed by a helper thread on top of the (committed) session corpus and removed again
afterwards, so the suite's database is left exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from academie.models import Registration, TrainingPage, TrainingSession
from academie.services import session_register
from kpo.accounts.models import User

pytestmark = pytest.mark.django_db


def _in_own_connection(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a new thread, i.e. on a new database connection, committed on return."""
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it():
    first = User.objects.get(email="professional@demo.kpo.nl")
    second = User.objects.get(email="ambassadeur@demo.kpo.nl")
    training = TrainingPage.objects.live().get(slug="training-de-verleiding")

    def create_session():
        starts = timezone.now() + timedelta(days=30)
        return TrainingSession.objects.create(
            training=training,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            location="Gelijktijdig",
            capacity=1,
            registration_deadline=starts - timedelta(days=1),
        )

    session = _in_own_connection(create_session)
    try:
        barrier = threading.Barrier(2, timeout=30)
        results: dict[int, str] = {}
        errors: list[BaseException] = []

        def register(user):
            try:
                barrier.wait()
                results[user.pk] = session_register(user=user, session=session).status
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=register, args=(u,)) for u in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert not errors, errors
        assert sorted(results.values()) == ["registered", "waitlisted"]
        rows = _in_own_connection(
            lambda: list(
                Registration.objects.filter(session_id=session.pk).values_list("status", "seat")
            )
        )
        assert sorted(rows, key=lambda r: r[0]) == [("registered", 1), ("waitlisted", None)]
    finally:
        _in_own_connection(lambda: TrainingSession.objects.filter(pk=session.pk).delete())
    assert not TrainingSession.objects.filter(pk=session.pk).exists()

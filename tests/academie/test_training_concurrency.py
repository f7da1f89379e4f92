"""Two people take the last seat at the same moment: exactly one gets it.

Real threads with their own database connections, released together by a barrier; the session
row lock in ``session_register`` (and the partial unique seat constraint) decide.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from academie.models import Registration
from academie.services import session_register
from tests.academie.conftest import make_session
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it(corpus):
    session = make_session(capacity=1)
    first, second = UserFactory(), UserFactory()
    barrier = threading.Barrier(2, timeout=30)
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def register(user):
        try:
            barrier.wait()
            registration = session_register(user=user, session=session)
            results[user.pk] = registration.status
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
    rows = Registration.objects.filter(session=session)
    assert rows.filter(status="registered").count() == 1
    assert rows.filter(status="waitlisted").count() == 1
    assert rows.get(status="registered").seat == 1

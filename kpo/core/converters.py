"""Path converters shared by every ``urls.py``.

``<id:pk>`` is Django's ``<id:pk>`` bounded to PostgreSQL's ``bigint``: an id that no row can
have (``99999999999999999999999``) does not match the route, so it is a plain 404 and never
reaches the database driver (where it used to raise ``OverflowError``, a 500). Registered once in
``CoreConfig.ready()``.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # PostgreSQL bigint; every primary key of the platform fits in it


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # Django: the route does not match
        return number

    def to_url(self, value) -> str:
        return str(int(value))

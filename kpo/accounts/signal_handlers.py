"""Signal handlers of accounts: they only schedule work."""

from __future__ import annotations

from django.db import transaction


def profile_photo_files_drop(sender, instance, **kwargs) -> None:
    """A deleted profile (account deletion cascades to it) takes its photo files along, after
    the deletion committed."""
    from kpo.accounts.services import profile_photo_files_delete

    names = [str(n) for n in (instance.photo_variants or {}).values()]
    if instance.photo:
        names.append(instance.photo.name)
    if names:
        transaction.on_commit(lambda: profile_photo_files_delete(names=names))

"""Pinned resources on a community's page: threads, files, knowledge documents (any Wagtail page
that carries the access rule) and outside links, in the manager's order. What a reader sees of
them goes through the access rule (``communities.selectors.community_pins_for_user``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models.community import Community, CommunityContent
from communities.models.posts import Attachment, Thread


class CommunityPin(CommunityContent):
    class Kind(models.TextChoices):
        THREAD = "thread", _("Onderwerp")
        FILE = "file", _("Bestand")
        PAGE = "page", _("Kennisdocument")
        LINK = "link", _("Link")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="pins")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vastgezet item")
        verbose_name_plural = _("vastgezette items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

"""StreamField blocks of a knowledge document's body."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citaat"))
    attribution = blocks.CharBlock(label=_("Bron"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "kennisbank/blocks/quote_block.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Bestand"))
    label = blocks.CharBlock(label=_("Omschrijving"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "kennisbank/blocks/download_block.html"


BODY_BLOCKS = [
    ("text", blocks.RichTextBlock(label=_("Tekst"), icon="pilcrow")),
    ("quote", QuoteBlock()),
    ("table", TableBlock(label=_("Tabel"))),
    ("image", ImageChooserBlock(label=_("Afbeelding"))),
    ("document", DownloadBlock()),
]

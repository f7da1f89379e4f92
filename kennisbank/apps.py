from django.apps import AppConfig


class KennisbankConfig(AppConfig):
    name = "kennisbank"
    verbose_name = "Kennisbank"
    corpus_loader = "kennisbank.corpus.load"
    corpus_order = 50
    theme_section = "kennisbank.selectors.theme_section"

from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "kpo.themes"
    label = "themes"
    verbose_name = "Thema's"
    corpus_loader = "kpo.themes.corpus.load"
    corpus_order = 20

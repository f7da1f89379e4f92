from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    corpus_loader = "communities.corpus.load"
    corpus_order = 40
    theme_section = "communities.selectors.theme_section"

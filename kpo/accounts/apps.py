from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kpo.accounts"
    label = "accounts"
    verbose_name = "Accounts en organisaties"
    corpus_loader = "kpo.accounts.corpus.load"
    corpus_order = 10

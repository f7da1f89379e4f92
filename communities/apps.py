from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    corpus_loader = "communities.corpus.load"
    corpus_order = 40
    theme_section = "communities.selectors.theme_section"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from communities import signal_handlers

        user_logged_in.connect(
            signal_handlers.claim_invitations_on_login, dispatch_uid="communities-claim-invitations"
        )

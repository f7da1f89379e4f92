from django.apps import AppConfig

from kpo.privacy.declarations import PersonalData


class AccountsConfig(AppConfig):
    name = "kpo.accounts"
    label = "accounts"
    verbose_name = "Accounts en organisaties"
    corpus_loader = "kpo.accounts.corpus.load"
    corpus_order = 10
    # Conversations between colleagues (ADR 0031): the person's conversations and the messages
    # they wrote. Both go with the account (a conversation needs its two participants).
    personal_data = (
        PersonalData(
            "accounts.Conversation",
            owner=("sender", "expert"),
            section="conversations",
            fields=("subject", "created_at", "last_message_at"),
        ),
        PersonalData(
            "accounts.ConversationMessage",
            owner=("author",),
            section="conversation_messages",
            fields=("conversation", "body", "created_at"),
        ),
    )

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from kpo.accounts import signal_handlers
        from kpo.accounts.models import Profile

        post_delete.connect(
            signal_handlers.profile_photo_files_drop,
            sender=Profile,
            dispatch_uid="accounts-profile-photo-files",
        )

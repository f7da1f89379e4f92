from django.apps import AppConfig

from kpo.privacy.declarations import REMOVED_BODY, REMOVED_TITLE, OnDelete, PersonalData


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    corpus_loader = "communities.corpus.load"
    corpus_order = 40
    theme_section = "communities.selectors.theme_section"
    # Evidence of a person's expertise on their profile (kpo.accounts.selectors, ADR 0031).
    expertise_evidence = "communities.selectors.expertise_evidence"
    # What the core reads from this pillar (docs/decisions/0018). The access rule: active members
    # hold community:<id>; managers and moderators hold a role that needs a second factor.
    principal_source = "communities.selectors.user_community_principals"
    second_factor_role = "communities.selectors.user_moderates_a_community"
    role_models = ("communities.Membership",)
    # Read by the cached standing of a reader in a community (selectors.reader_standing).
    reader_models = ("communities.Suspension",)
    reader_m2m = ("themes.Theme.ambassadors",)
    notification_communities = "communities.selectors.community_list_for_member"
    audited_models = {
        "communities.Membership": "membership",
        "communities.JoinRequest": "join_request",
        "communities.ModerationLog": "moderation",
    }
    audited_download_path = r"^/communities/[^/]+/bestanden/\d+/"
    personal_data = (
        PersonalData("communities.Membership", owner=("user",), section="memberships"),
        PersonalData("communities.JoinRequest", owner=("user",), section="join_requests"),
        PersonalData("communities.Invitation", owner=("user",), section="invitations"),
        PersonalData(
            "communities.Thread",
            owner=("author",),
            section="threads",
            on_delete=OnDelete.KEEP_AS_POST,
            removal_text=(("body", REMOVED_BODY), ("title", REMOVED_TITLE)),
            revisions=(("communities.ThreadRevision", "thread"),),
        ),
        PersonalData(
            "communities.Reply",
            owner=("author",),
            section="replies",
            on_delete=OnDelete.KEEP_AS_POST,
            removal_text=(("body", REMOVED_BODY),),
            revisions=(("communities.ReplyRevision", "reply"),),
        ),
        PersonalData("communities.Reaction", owner=("user",), section="reactions"),
        PersonalData(
            "communities.Attachment",
            owner=("uploaded_by",),
            section="attachments",
            on_delete=OnDelete.KEEP_AS_POST,
            removable=True,
        ),
        PersonalData(
            "communities.Event",
            owner=("created_by",),
            section="events",
            on_delete=OnDelete.KEEP_AS_POST,
            removal_text=(("title", REMOVED_TITLE), ("description", REMOVED_BODY)),
        ),
        PersonalData("communities.RSVP", owner=("user",), section="rsvps"),
        PersonalData("communities.Flag", owner=("reported_by",), section="flags"),
        PersonalData("communities.Follow", owner=("user",), section="follows"),
        PersonalData("communities.Suspension", owner=("user",), section="suspensions"),
        PersonalData(
            "communities.QuestionRouteRecipient",
            owner=("user",),
            section="routed_questions",
            fields=("route", "reason", "created_at"),
        ),
        PersonalData(
            "communities.CalendarToken",
            owner=("user",),
            section="calendar_subscriptions",
            fields=("community", "created_at"),
        ),
    )

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from communities import pagecache, signal_handlers

        pagecache.connect()
        user_logged_in.connect(
            signal_handlers.claim_invitations_on_login, dispatch_uid="communities-claim-invitations"
        )

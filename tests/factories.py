"""factory_boy factories shared by every test package (and by demo data where useful)."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from communities.models import Community, Membership
from kpo.accounts.models import Organisation, Profile, Region, User
from kpo.themes.models import Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@gemeente.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"riec-test-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.upper())
    kind = Region.Kind.RIEC


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    kind = "gemeente"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.SubFactory(RegionFactory)
    function = "Beleidsmedewerker"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"thema-{n}")
    title = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    intro = "Een thema om te testen."


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    slug = factory.Sequence(lambda n: f"community-{n}")
    name = factory.LazyAttribute(lambda o: f"Community {o.slug}")
    description = "Een community om te testen."
    visibility = Community.Visibility.OPEN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    state = Membership.State.ACTIVE

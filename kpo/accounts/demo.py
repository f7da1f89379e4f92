"""Demo accounts of the embedded default: an admin and one account per role.

They are created only when ``settings.DEMO_ACCOUNTS_ALLOWED`` (never in production), are marked
``is_demo`` and are refused by the authentication backend in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpo.core import roles

DEMO_PASSWORD = "KPO-demo-2026!"  # noqa: S105 - documented demo password, embedded default only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str  # human-readable role (Dutch)
    groups: tuple[str, ...] = ()
    superuser: bool = False
    organisation: str = "gemeenten"
    region: str = "liec"
    function: str = ""
    expertise: tuple[str, ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "beheerder@demo.kpo.nl",
        "Bea",
        "Beheer",
        "platformbeheerder",
        groups=(roles.PLATFORM_ADMIN_GROUP,),
        superuser=True,
        function="Platformbeheerder LIEC",
    ),
    DemoAccount(
        "professional@demo.kpo.nl",
        "Priya",
        "de Vries",
        "professional (Bibob-medewerker gemeente)",
        organisation="gemeenten",
        region="riec-oost-nederland",
        function="Bibob-coördinator gemeente",
        expertise=("wet-bibob", "bestuurlijke-aanpak"),
    ),
    DemoAccount(
        "communitymanager@demo.kpo.nl",
        "Cas",
        "Manders",
        "community manager",
        groups=(roles.COMMUNITY_MANAGERS_GROUP,),
        function="Community manager LIEC (team Leren & Ontwikkelen)",
        expertise=("buitengebied",),
    ),
    DemoAccount(
        "ambassadeur@demo.kpo.nl",
        "Anouk",
        "Bakker",
        "ambassadeur",
        groups=(roles.AMBASSADORS_GROUP,),
        organisation="politie",
        region="riec-rotterdam",
        function="Inhoudelijk ambassadeur",
        expertise=("vastgoed", "outlaw-motorcycle-gangs"),
    ),
    DemoAccount(
        "redactieraad@demo.kpo.nl",
        "Ruud",
        "Jansen",
        "lid redactieraad",
        groups=(roles.BOARD_GROUP,),
        organisation="openbaar-ministerie",
        function="Lid redactieraad",
        expertise=("criminele-geldstromen",),
    ),
    # The board decides with a quorum of two (KPO_BOARD_QUORUM): a second member to show it.
    DemoAccount(
        "redactieraad2@demo.kpo.nl",
        "Fatima",
        "El Amrani",
        "tweede lid redactieraad",
        groups=("Redactieraad",),
        organisation="belastingdienst",
        function="Lid redactieraad",
        expertise=("criminele-geldstromen", "vastgoed"),
    ),
    DemoAccount(
        "jurist@demo.kpo.nl",
        "Julia",
        "Smit",
        "jurist",
        groups=(roles.LAWYERS_GROUP,),
        function="Jurist, landelijk juridisch steunpunt LIEC",
        expertise=("wgs-gegevensdeling", "wet-bibob"),
    ),
    DemoAccount(
        "academie@demo.kpo.nl",
        "Ali",
        "Yilmaz",
        "medewerker academie",
        groups=(roles.ACADEMY_GROUP,),
        function="Medewerker Ondermijningsacademie",
    ),
)

"""Jurists and the redactieraad enter law changes (ADR 0026): the groups get ``add_lawchange``
and ``view_lawchange`` (and admin access); group names from ``kpo.core.roles``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Juristen", "Redactieraad")  # kpo.core.roles.LAWYERS_GROUP, BOARD_GROUP
CODENAMES = ("add_lawchange", "view_lawchange")


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create this app's now.
    config = apps.get_app_config("law")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="law", codename__in=CODENAMES)
    )
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
        if admin_access is not None:
            group.permissions.add(admin_access)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="law", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("law", "0001_law_changes_and_reassessments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

# Joins the two lines of academie migrations written in parallel: law-linked certificate
# versions (ADR 0026) and question banks / certificate expiry (ADR 0030). No operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("academie", "0004_certificate_expiry"),
        ("academie", "0004_certificate_versions"),
    ]

    operations = []

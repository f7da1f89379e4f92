# Joins the two kennisbank migrations written in parallel: legal citations (ADR 0026) and
# knowledge requests (ADR 0027).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank", "0005_document_citations"),
        ("kennisbank", "0005_knowledge_requests"),
    ]

    operations = []

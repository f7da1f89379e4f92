# Joins the three communities migrations written in parallel: question routing (ADR 0028),
# suspensions, pins and attendance (ADR 0029), and the thread → knowledge link (ADR 0027).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0010_question_routing"),
        ("communities", "0010_suspensions_pins_attendance"),
        ("communities", "0010_thread_knowledge_link"),
    ]

    operations = []

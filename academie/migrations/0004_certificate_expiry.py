"""Certificates (#18): expiry, revocation, training-attendance certificates, a history per
user instead of one per user and course."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("academie", "0003_question_banks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="certificate",
            options={
                "ordering": ["-issued_at"],
                "verbose_name": "certificaat",
                "verbose_name_plural": "certificaten",
            },
        ),
        migrations.RemoveConstraint(
            model_name="certificate",
            name="academie_certificate_unique",
        ),
        migrations.AddField(
            model_name="certificate",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="geldig tot"
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="registration",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="certificate",
                to="academie.registration",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="renewal_reminded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ingetrokken op"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_reason",
            field=models.TextField(blank=True, verbose_name="reden van intrekking"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="certificates",
                to="academie.trainingsession",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="session_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="sessie"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="training",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="academie.trainingpage",
            ),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="certificate_valid_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Leeg: het certificaat blijft onbeperkt geldig.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="certificaat geldig (maanden)",
            ),
        ),
        migrations.AddField(
            model_name="trainingpage",
            name="certificate_valid_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Wie aanwezig was, krijgt een certificaat. Leeg: het certificaat blijft onbeperkt geldig.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="certificaat geldig (maanden)",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="course",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="academie.coursepage",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="course_title",
            field=models.CharField(max_length=300, verbose_name="e-learning of training"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("course__isnull", False), ("training__isnull", True)),
                    models.Q(("course__isnull", True), ("training__isnull", False)),
                    _connector="OR",
                ),
                name="academie_certificate_course_xor_training",
            ),
        ),
    ]

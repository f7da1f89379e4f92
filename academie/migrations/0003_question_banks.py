"""Question banks (#18): questions get a tag, courses draw rules, attempts their draw."""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("academie", "0002_lesson_media_and_quiz_explanations"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuizDrawRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("tag", models.CharField(max_length=60, verbose_name="categorie")),
                (
                    "count",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="aantal vragen per poging",
                    ),
                ),
            ],
            options={
                "verbose_name": "trekregel",
                "verbose_name_plural": "trekregels",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="question_ids",
            field=models.JSONField(blank=True, default=list, verbose_name="gestelde vragen"),
        ),
        migrations.AddField(
            model_name="quizquestion",
            name="tag",
            field=models.CharField(
                blank=True,
                help_text="Alleen nodig als de toets vragen trekt uit een vraagbank.",
                max_length=60,
                verbose_name="categorie (vraagbank)",
            ),
        ),
        migrations.AddField(
            model_name="quizdrawrule",
            name="course",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="draw_rules",
                to="academie.coursepage",
            ),
        ),
    ]

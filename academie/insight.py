"""Figures for the academy team: enrolments, completion, scores and passes per course, per
organisation, per region and per month. Read-only; used by the admin view and its CSV export."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth

from academie.models import Certificate, Enrolment, QuizAttempt

TABLES = ("course", "organisation", "region", "month")


def _rate(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def _grouped(key: str, label: str) -> list[dict[str, Any]]:
    rows = (
        Enrolment.objects.values(key=F(key), label=F(label))
        .annotate(
            enrolments=Count("pk", distinct=True),
            completed=Count("pk", filter=Q(completed_at__isnull=False), distinct=True),
            average_score=Avg("attempts__score"),
            passes=Count("attempts", filter=Q(attempts__passed=True), distinct=True),
        )
        .order_by("-enrolments", "label")
    )
    result = []
    for row in rows:
        result.append(
            {
                "label": row["label"] or "(onbekend)",
                "enrolments": row["enrolments"],
                "completed": row["completed"],
                "completion_rate": _rate(row["completed"], row["enrolments"]),
                "average_score": round(row["average_score"]) if row["average_score"] else None,
                "passes": row["passes"],
            }
        )
    return result


def academy_insight() -> dict[str, Any]:
    """All four tables. Completion = passed the final quiz; average score over all attempts."""
    months: dict[str, dict[str, int]] = {}
    for row in (
        Enrolment.objects.annotate(month=TruncMonth("enrolled_at"))
        .values("month")
        .annotate(n=Count("pk"))
    ):
        months.setdefault(f"{row['month']:%Y-%m}", {"enrolments": 0, "passes": 0})["enrolments"] = (
            row["n"]
        )
    for row in (
        Certificate.objects.annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(n=Count("pk"))
    ):
        months.setdefault(f"{row['month']:%Y-%m}", {"enrolments": 0, "passes": 0})["passes"] = row[
            "n"
        ]
    per_month: list[dict[str, Any]] = [
        {"label": key, **value} for key, value in sorted(months.items())
    ]
    peak = max([m["enrolments"] for m in per_month] + [m["passes"] for m in per_month] + [1])
    totals_enrolments = Enrolment.objects.count()
    totals_completed = Enrolment.objects.filter(completed_at__isnull=False).count()
    average = QuizAttempt.objects.aggregate(avg=Avg("score"))["avg"]
    return {
        "totals": {
            "enrolments": totals_enrolments,
            "completed": totals_completed,
            "completion_rate": _rate(totals_completed, totals_enrolments),
            "average_score": round(average) if average is not None else None,
            "certificates": Certificate.objects.count(),
        },
        "course": _grouped("course_id", "course__title"),
        "organisation": _grouped(
            "user__profile__organisation_id", "user__profile__organisation__name"
        ),
        "region": _grouped("user__profile__region_id", "user__profile__region__name"),
        "month": per_month,
        "peak": peak,
    }


def insight_csv_rows(*, table: str) -> list[list[Any]]:
    data = academy_insight()
    if table == "month":
        return [["Maand", "Inschrijvingen", "Geslaagd"]] + [
            [m["label"], m["enrolments"], m["passes"]] for m in data["month"]
        ]
    header = {"course": "E-learning", "organisation": "Organisatie", "region": "Regio"}[table]
    rows: list[list[Any]] = [
        [
            header,
            "Inschrijvingen",
            "Afgerond",
            "Afrondingspercentage",
            "Gemiddelde score",
            "Geslaagd",
        ]
    ]
    for row in data[table]:
        rows.append(
            [
                row["label"],
                row["enrolments"],
                row["completed"],
                row["completion_rate"],
                "" if row["average_score"] is None else row["average_score"],
                row["passes"],
            ]
        )
    return rows

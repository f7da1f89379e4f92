"""Web front end of the academy (Dutch, server-rendered). Thin: selectors read, services write."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academie import selectors, services
from academie.forms import (
    AttendanceForm,
    CertificateRevokeForm,
    CertificateVerifyForm,
    QuizForm,
)
from academie.openbadges import (
    MEDIA_TYPE,
    openbadges_issuer_profile,
    openbadges_jwt,
    openbadges_public_jwk,
)
from academie.pdf import certificate_pdf
from kpo.core.access import has_staff_role
from kpo.security.ratelimit import rate_limit_check


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _course_or_404(request, course_id: int):
    course = selectors.course_get_for_user(user=request.user, pk=course_id)
    if course is None:
        raise Http404
    return course


@login_required
def overview(request):
    return render(
        request,
        "academie/overview.html",
        {
            "courses": selectors.course_list_for_user(user=request.user),
            "trainings": selectors.training_list_for_user(user=request.user),
        },
    )


@login_required
def my_learning(request):
    return render(request, "academie/my_learning.html", selectors.my_learning(user=request.user))


@login_required
@require_POST
def course_enrol(request, course_id: int):
    course = _course_or_404(request, course_id)
    try:
        services.course_enrol(user=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(course.url)
    messages.success(request, _("Je bent ingeschreven. Veel leerplezier!"))
    progress = selectors.course_progress_for_user(course=course, user=request.user)
    if progress.resume_lesson is not None:
        return redirect("academie:lesson", course_id=course.pk, lesson_id=progress.resume_lesson.pk)
    return redirect(course.url)


@login_required
def lesson_detail(request, course_id: int, lesson_id: int):
    course = _course_or_404(request, course_id)
    progress = selectors.course_progress_for_user(course=course, user=request.user)
    if not progress.enrolled:
        messages.error(request, _("Schrijf je eerst in voor deze e-learning."))
        return redirect(course.url)
    states = progress.lessons
    index = next((i for i, s in enumerate(states) if s.lesson.pk == lesson_id), None)
    if index is None:
        raise Http404
    state = states[index]
    if request.method == "POST":
        try:
            services.lesson_complete(user=request.user, lesson=state.lesson)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("academie:lesson", course_id=course.pk, lesson_id=lesson_id)
        if index + 1 < len(states):
            return redirect(
                "academie:lesson", course_id=course.pk, lesson_id=states[index + 1].lesson.pk
            )
        messages.success(request, _("Je hebt alle lessen afgerond. Je kunt nu de toets maken."))
        return redirect("academie:quiz", course_id=course.pk)
    if not state.available:
        messages.error(request, _("Rond eerst de vorige lessen af."))
        return redirect(course.url)
    services.lesson_visit(user=request.user, lesson=state.lesson)
    return render(
        request,
        "academie/lesson.html",
        {
            "course": course,
            "progress": progress,
            "state": state,
            "previous": states[index - 1] if index > 0 else None,
            "next": states[index + 1] if index + 1 < len(states) else None,
        },
    )


@login_required
def quiz(request, course_id: int):
    course = _course_or_404(request, course_id)
    progress = selectors.course_progress_for_user(course=course, user=request.user)
    if not progress.quiz_available:
        if progress.passed:
            messages.info(request, _("Je bent al geslaagd voor deze toets."))
        elif progress.enrolled and progress.attempts_left == 0:
            messages.error(request, _("Je hebt het maximale aantal pogingen gebruikt."))
        else:
            messages.error(request, _("Rond eerst alle lessen af voordat je de toets maakt."))
        return redirect(course.url)
    try:
        questions = selectors.quiz_questions_for_attempt(course=course, user=request.user)
    except ValidationError as exc:  # a question bank with too few questions for its rules
        messages.error(request, _error_text(exc))
        return redirect(course.url)
    form = QuizForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.quiz_submit(user=request.user, course=course, answers=form.answers())
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            return redirect("academie:quiz_result", course_id=course.pk, attempt_id=attempt.pk)
    return render(
        request,
        "academie/quiz.html",
        {"course": course, "progress": progress, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def refresher(request, course_id: int):
    """The refresher a holder is offered after the course was revised for a law change: the
    changed lessons and the quiz again (ADR 0026)."""
    from academie import law

    course = _course_or_404(request, course_id)
    offer = selectors.refresher_open_for(user=request.user, course=course)
    if offer is None:
        messages.info(request, _("Er staat geen opfrisser voor je klaar bij deze e-learning."))
        return redirect(course.url)
    questions = selectors.quiz_questions_for_attempt(course=course, user=request.user)
    form = QuizForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = law.certificate_refresh_submit(
                user=request.user, course=course, answers=form.answers()
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            return redirect("academie:quiz_result", course_id=course.pk, attempt_id=attempt.pk)
    return render(
        request,
        "academie/refresher.html",
        {
            "course": course,
            "refresher": offer,
            "lessons": selectors.refresher_lessons(refresher=offer),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def quiz_result(request, course_id: int, attempt_id: int):
    attempt = selectors.attempt_get_for_user(user=request.user, pk=attempt_id)
    if attempt is None or attempt.enrolment.course_id != course_id:
        raise Http404
    course = attempt.enrolment.course
    progress = selectors.course_progress_for_user(course=course, user=request.user)
    return render(
        request,
        "academie/quiz_result.html",
        {
            "course": course,
            "attempt": attempt,
            "progress": progress,
            "feedback": selectors.attempt_feedback(attempt=attempt),
            "reveal": selectors.attempt_reveals_answers(attempt=attempt),
        },
    )


@login_required
def certificate_download(request, pk: int):
    certificate = selectors.certificate_get_for_owner(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificaat-{certificate.code}.pdf"'
    return response


def _verification(request, code: str):
    """The one answer of both public verification doors (the link and the form): the same page
    shape whether the code exists or not, so guessing codes learns nothing but the result; rate
    limited per client (``verify``)."""
    too_many = rate_limit_check(request=request, action="verify")
    if too_many is not None:
        return too_many
    certificate = selectors.certificate_get_by_code(code=code)
    return render(
        request,
        "academie/certificate_verify.html",
        {
            "form": CertificateVerifyForm(initial={"code": code}),
            "checked": True,
            "result": selectors.certificate_verification(certificate=certificate),
            "certificate": certificate,
            "can_revoke": certificate is not None
            and has_staff_role(request.user, services.ACADEMY_ROLE)
            and certificate.revoked_at is None,
        },
    )


def certificate_verify(request, code: str):
    """Public: what the certificate's link shows (name, title, date and status, nothing more)."""
    return _verification(request, code)


def certificate_verify_form(request):
    """Public: type a verification code in. No login; rate limited like the link."""
    if request.method == "POST":
        form = CertificateVerifyForm(request.POST)
        if form.is_valid():
            return _verification(request, form.cleaned_data["code"])
        return render(
            request,
            "academie/certificate_verify.html",
            {"form": form, "checked": False},
            status=400,
        )
    return render(
        request,
        "academie/certificate_verify.html",
        {"form": CertificateVerifyForm(), "checked": False},
    )


@login_required
def certificate_revoke(request, pk: int):
    """Academy staff revoke a certificate with a reason (``services.certificate_revoke``)."""
    if not has_staff_role(request.user, services.ACADEMY_ROLE):
        raise Http404
    certificate = selectors.certificate_get_for_staff(pk=pk)
    if certificate is None:
        raise Http404
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Het certificaat is ingetrokken."))
            return redirect(selectors.certificate_verify_url(code=certificate.code))
    return render(
        request,
        "academie/certificate_revoke.html",
        {"certificate": certificate, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def certificate_openbadge(request, pk: int):
    """The holder downloads their certificate as a signed Open Badges 3.0 credential."""
    certificate = selectors.certificate_get_for_owner(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    if certificate.revoked_at is not None:
        messages.error(
            request, _("Dit certificaat is ingetrokken en kan niet worden geëxporteerd.")
        )
        return redirect("academie:my_learning")
    response = HttpResponse(openbadges_jwt(certificate=certificate), content_type=MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="open-badge-{certificate.code}.jwt"'
    return response


def openbadges_key(request):
    """Public: the issuer's public key (JWK) that Open Badges verifiers fetch by ``kid``."""
    response = JsonResponse(openbadges_public_jwk())
    response["Access-Control-Allow-Origin"] = "*"
    return response


def openbadges_issuer(request):
    """Public: the issuer's Open Badges ``Profile``."""
    response = JsonResponse(openbadges_issuer_profile())
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _session_or_404(request, session_id: int):
    session = selectors.session_get_for_user(user=request.user, pk=session_id)
    if session is None:
        raise Http404
    return session


@login_required
@require_POST
def session_register(request, session_id: int):
    session = _session_or_404(request, session_id)
    try:
        registration = services.session_register(user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if registration.status == registration.Status.REGISTERED:
            messages.success(request, _("Je bent aangemeld voor deze sessie."))
        else:
            messages.warning(
                request, _("De sessie is vol. Je staat op de wachtlijst; we laten het je weten.")
            )
    return redirect(session.training.url)


@login_required
@require_POST
def registration_cancel(request, session_id: int):
    session = _session_or_404(request, session_id)
    try:
        services.registration_cancel(user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Je bent afgemeld voor deze sessie."))
    return redirect(session.training.url)


def _staff_session(request, session_id: int):
    if not has_staff_role(request.user, services.ACADEMY_ROLE):
        raise Http404
    return _session_or_404(request, session_id)


@login_required
def session_attendees(request, session_id: int):
    session = _staff_session(request, session_id)
    registrations = list(selectors.session_attendees(session=session))
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_mark(
                session=session, attended_user_ids=form.cleaned_data["attended"], actor=request.user
            )
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Aanwezigheid opgeslagen (%(n)s aanwezig).") % {"n": count})
        return redirect("academie:session_attendees", session_id=session.pk)
    return render(
        request,
        "academie/session_attendees.html",
        {"session": session, "registrations": registrations, "form": form},
    )


@login_required
def session_attendees_csv(request, session_id: int):
    session = _staff_session(request, session_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deelnemers-sessie-{session.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Naam", "E-mailadres", "Organisatie", "Aangemeld op", "Aanwezig"])
    for registration in selectors.session_attendees(session=session):
        user = registration.user
        profile = getattr(user, "profile", None)
        organisation = profile.organisation.name if profile and profile.organisation else ""
        writer.writerow(
            [
                user.get_full_name() or user.email,
                user.email,
                organisation,
                timezone.localtime(registration.created_at).strftime("%d-%m-%Y %H:%M"),
                "ja" if registration.attended else "nee",
            ]
        )
    return response

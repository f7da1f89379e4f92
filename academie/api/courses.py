"""Course endpoints: the catalogue, one course, enrolling, progress, completing a lesson and a
quiz attempt."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from academie import selectors, services
from academie.api.serializers import (
    ERRORS,
    AnswersInputSerializer,
    AttemptSerializer,
    CourseDetailSerializer,
    CourseListSerializer,
    ProgressSerializer,
    certificate_data,
    course_data,
    progress_data,
)
from academie.filters import CourseFilterSet
from academie.models import CoursePage
from kpo.core.api import paginated_response

# --- views --------------------------------------------------------------------------------------


def _course(request, pk: int) -> CoursePage:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    if course is None:
        raise Http404
    return course


class CourseListApi(generics.GenericAPIView):
    serializer_class = CourseListSerializer
    filterset_class = CourseFilterSet
    queryset = CoursePage.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(
        operation_id="courses_list",
        responses={200: CourseListSerializer(many=True)},
        tags=["academie"],
    )
    def get(self, request):
        courses = self.filter_queryset(selectors.course_list_for_user(user=request.user))
        return paginated_response(
            view=self, items=courses, serializer_class=CourseListSerializer, to_data=course_data
        )


class CourseDetailApi(APIView):
    @extend_schema(
        operation_id="courses_detail",
        responses={200: CourseDetailSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        course = _course(request, pk)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        data = {
            **course_data(course),
            "audience": course.audience,
            "pass_mark": course.quiz_pass_mark,
            "max_attempts": course.quiz_max_attempts,
            "progress": progress_data(progress),
            "lessons": [],
            "quiz": [],
        }
        if progress.enrolled:
            data["lessons"] = [
                {
                    "id": s.lesson.pk,
                    "number": s.number,
                    "title": s.lesson.title,
                    "done": s.done,
                    "available": s.available,
                    "body": str(s.lesson.body) if s.available else "",
                }
                for s in progress.lessons
            ]
        if progress.quiz_available:
            try:
                data["quiz"] = selectors.quiz_questions_for_attempt(
                    course=course, user=request.user
                )
            except ValidationError:
                # A question bank with too few questions: no quiz to show; submitting says why.
                data["quiz"] = []
        return Response(CourseDetailSerializer(data).data)


class CourseEnrolApi(APIView):
    @extend_schema(
        operation_id="courses_enrol",
        request=None,
        responses={201: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        course = _course(request, pk)
        services.course_enrol(user=request.user, course=course)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(progress_data(progress), status=status.HTTP_201_CREATED)


class CourseProgressApi(APIView):
    @extend_schema(
        operation_id="courses_progress",
        responses={200: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        course = _course(request, pk)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(progress_data(progress))


class LessonCompleteApi(APIView):
    @extend_schema(
        operation_id="courses_lesson_complete",
        request=None,
        responses={200: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int, lesson_id: int):
        course = _course(request, pk)
        lesson = course.lessons.filter(pk=lesson_id).first()
        if lesson is None:
            raise Http404
        services.lesson_complete(user=request.user, lesson=lesson)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(progress_data(progress))


class QuizAttemptApi(APIView):
    @extend_schema(
        operation_id="courses_quiz_attempt",
        request=AnswersInputSerializer,
        responses={201: AttemptSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        course = _course(request, pk)
        payload = AnswersInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attempt = services.quiz_submit(
            user=request.user, course=course, answers=payload.validated_data["answers"]
        )
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        certificate = getattr(attempt, "certificate", None) if attempt.passed else None
        if attempt.passed and certificate is None:
            certificate = progress.certificate
        data = {
            "id": attempt.pk,
            "number": attempt.number,
            "score": attempt.score,
            "correct": attempt.correct_count,
            "total": attempt.question_count,
            "passed": attempt.passed,
            "attempts_left": progress.attempts_left,
            "feedback": [
                {
                    "question": item["question"].pk,
                    "correct": item["correct"],
                    "explanation": item["explanation"],
                }
                for item in selectors.attempt_feedback(attempt=attempt)
            ],
            "certificate": certificate_data(certificate) if certificate else None,
        }
        return Response(AttemptSerializer(data).data, status=status.HTTP_201_CREATED)

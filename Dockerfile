# Production image of the KPO platform: gunicorn serving Django/Wagtail; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KPO_ENV=production \
    STATIC_ROOT=/app/static_collected MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private
WORKDIR /app
RUN useradd --system --create-home --uid 1000 kpo
COPY pyproject.toml ./
COPY kpo ./kpo
COPY kennisbank ./kennisbank
COPY communities ./communities
COPY academie ./academie
COPY search ./search
COPY manage.py ./
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build-only-build-only-build-only-build-only-build-only DEBUG=0 \
    python manage.py collectstatic --no-input -v0 \
 && mkdir -p /data/media /data/private && chown -R kpo /data
USER kpo
EXPOSE 8000
CMD ["gunicorn", "kpo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "2", "--timeout", "60", "--access-logfile", "-"]

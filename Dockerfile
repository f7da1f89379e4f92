# Production image of the KPO platform: gunicorn serving Django/Wagtail; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KPO_ENV=production \
    STATIC_ROOT=/app/static_collected MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private
WORKDIR /app
RUN useradd --system --create-home --uid 1000 kpo
# pango for WeasyPrint (the certificate PDFs)
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*
# Exact versions with hashes (tools/lock); the code runs from /app, it is not pip-installed.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY kpo ./kpo
COPY kennisbank ./kennisbank
COPY communities ./communities
COPY academie ./academie
COPY search ./search
COPY manage.py ./
# Static files with hashed names (ManifestStaticFilesStorage); whitenoise serves them.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only DEBUG=0 \
    python manage.py collectstatic --no-input -v0 \
 && mkdir -p /data/media /data/private && chown -R kpo /data
USER kpo
EXPOSE 8000
# Request logs come from the application as JSON lines (with the request id), not from gunicorn.
CMD ["gunicorn", "-c", "kpo/gunicorn_conf.py", "kpo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "2", "--timeout", "60"]

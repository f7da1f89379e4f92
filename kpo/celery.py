"""The Celery application. Broker: Redis (``REDIS_URL``); without it tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")

app = Celery("kpo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The Celery application. Tasks live in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_what_one_node_keeps(**_kwargs: object) -> None:
    """A production worker starts only where the web nodes may (samverkan/checks.py)."""
    from samverkan.checks import refuse_to_start

    refuse_to_start(worker=True)

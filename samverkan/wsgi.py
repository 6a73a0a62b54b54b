"""The web nodes' entry point (gunicorn ``samverkan.wsgi``). In production a node that
would keep to itself what every node must share refuses to start (samverkan/checks.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_wsgi_application()

from samverkan.checks import refuse_to_start  # noqa: E402 - needs the apps loaded

refuse_to_start()

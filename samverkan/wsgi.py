"""The web nodes' entry point (gunicorn ``samverkan.wsgi``). In production a node that
would keep to itself what every node must share refuses to start (samverkan/checks.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_wsgi_application()


def _refuse_what_one_node_keeps() -> None:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from samverkan.checks import startup_errors

    if settings.PRODUCTION and (errors := startup_errors()):
        raise ImproperlyConfigured("Production cannot start:\n" + "\n".join(errors))


_refuse_what_one_node_keeps()

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from base.actors import Viewer


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = _("Samverkansportalen")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from base import classcache, converters, pagecache
        from samverkan import checks  # noqa: F401 - registers production's checks
        from samverkan.workplace import my_page

        converters.register()
        classcache.register("my-page", my_page)  # the start page's link to one's own page
        pagecache.connect_signals()

        from base.middleware import session_started

        def started(sender: Any, request: Any, user: Viewer, **kwargs: Any) -> None:
            if request is not None and hasattr(request, "session"):
                session_started(request, user)

        user_logged_in.connect(started, weak=False, dispatch_uid="samverkan.session_started")

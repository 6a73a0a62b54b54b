from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from followups import reminders  # noqa: F401 - registers the follow-up's reminders
        from followups.pdfs import register_renderers

        register_renderers()

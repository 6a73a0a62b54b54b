from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Arenas and diarium")

    def ready(self) -> None:
        from base import classcache
        from councils.pdfs import register_renderers
        from councils.views.classes import notes

        register_renderers()
        classcache.register("note", notes)  # a member's private notes on a meeting page

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Arenas and diarium")

    def ready(self) -> None:
        from base import classcache
        from councils.pdfs import register_renderers
        from councils.views.classes import note_texts, notes_written

        register_renderers()
        # A member's private notes on a meeting page kept for the member's class.
        classcache.register("note-text", note_texts)
        classcache.register("note-written", notes_written)

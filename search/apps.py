from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from councils import alerts
        from search.queries import watch_hits

        alerts.register_search(watch_hits)  # bevakningar of saved searches

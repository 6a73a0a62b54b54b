from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from base import panels
        from councils.signals import paragraphs_justerade
        from recommendations import (
            reminders,  # noqa: F401 - registers the reminders
            services,
        )
        from recommendations.panels import agreement_panel, organisation_panel, paragraph_panels

        paragraphs_justerade.connect(services.on_paragraphs_justerade, dispatch_uid="recommend")
        panels.register("agreement", agreement_panel)
        panels.register("organisation", organisation_panel)
        panels.register_each("protocol-paragraphs", paragraph_panels)

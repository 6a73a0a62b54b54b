"""Sign-in through an organisation's identity provider: which external identity is
which account, linked by the rules in ``identity.services``. The table keeps its name from
when this lived in councils (``councils_externalidentity``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """An account's identity at one provider: the provider's stable subject for the
    person, linked once; later sign-ins through that provider find the account by it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("identity provider"), max_length=60)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    linked_by = models.CharField(_("linked by"), max_length=20)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    last_assurance = models.CharField(_("last assurance level"), max_length=200, blank=True)

    class Meta:
        db_table = "councils_externalidentity"
        ordering = ["provider"]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_unique"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="external_identity_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"

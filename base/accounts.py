"""The accounts: the user model and the API keys. Registered under the project app's
label, ``samverkan``, where their tables and migrations have always been
(``samverkan/models.py`` imports them, so the app registry finds them there); defined
here, below every app, so that the apps may name them."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Their place in the arenas is on ``councils.Person``."""

    session_epoch = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        editable=False,
        help_text=_("Raised by “log out everywhere”: every older session ends."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        app_label = "samverkan"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django checks this on every request: it changes with the password, as in
        Django, and with the session generation, which ends every session at once."""
        return salted_hmac(
            "samverkan.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self) -> None:
        type(self).objects.filter(pk=self.pk).update(session_epoch=F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])


class ApiToken(models.Model):
    """A personal key to the open-data API: it gives the API the rights its owner has in
    the browser. Only a hash is stored; the key is shown once, when it is made."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for."))
    prefix = models.CharField(_("start of the key"), max_length=8)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        app_label = "samverkan"
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        """A new key for ``user``: the row, and the key itself (never stored)."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=cls.hash(key))
        return token, key

    @classmethod
    def user_for_header(cls, header: str) -> User | None:
        """The user an ``Authorization: Bearer <key>`` header names, or None for any
        other scheme or a key that is not valid."""
        scheme, _space, key = header.partition(" ")
        return cls.user_for(key.strip()) if scheme.lower() == "bearer" else None

    @classmethod
    def user_for(cls, key: str) -> User | None:
        """The active owner of a valid, unrevoked key, noting its use."""
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=cls.hash(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

"""Shared base: the user model."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who logs in. Their place in the arenas is on ``councils.Person``."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username

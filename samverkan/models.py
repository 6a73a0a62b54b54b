"""The project app's models: the accounts, defined in the base (``base.accounts``) so
that every app may name them, and registered here under the label ``samverkan``."""

from base.accounts import ApiToken, User

__all__ = ("ApiToken", "User")

"""Path converters: a URL part that is not of its kind's form never reaches a view, so
a malformed id or token answers 404 (never a database error)."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A row id: digits that fit PostgreSQL's integer (1 to 2 147 483 647)."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 <= number <= 2_147_483_647:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class SecretConverter:
    """A secret address part made by ``secrets.token_urlsafe``."""

    regex = "[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SignedConverter(SecretConverter):
    """A value signed by ``django.core.signing`` (URL-safe base64 and colons)."""

    regex = "[A-Za-z0-9_:-]{1,512}"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(SecretConverter, "secret")
    register_converter(SignedConverter, "signed")

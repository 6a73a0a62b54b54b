"""What production demands before it serves: nothing that one node keeps for itself.

Several web nodes and workers are one portal only if they share what counts or
remembers (the cache: page generation, rate limits, replay guards, pending sign-ins),
the tasks' broker, the stored files, and the keys they sign and publish with. Run by
``manage.py check`` (and so by ``check --deploy`` and ``migrate``) and by
``samverkan.wsgi`` before a web node serves its first request (``startup_errors``).

``SAMVERKAN_ONE_MACHINE=1`` declares an installation of one machine (``make run-prod``):
its folder cache, file-system broker, local folder, demo seal and generated SAML keys
are then shared by all its processes, and each check only warns.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

TAG = "samverkan_production"

_REDIS = "django.core.cache.backends.redis.RedisCache"
_S3 = "storages.backends.s3.S3Storage"


def _seal(name: str) -> str:
    from base.seal.material import env

    return env(name)


def _saml_providers() -> bool:
    from identity.providers import providers

    return any(p.protocol == "saml" for p in providers())


def _problems(*, worker: bool = False) -> list[tuple[str, str, str]]:
    """(id, what is wrong, what to set) for each thing one node would keep to itself
    (``worker``: a worker, which seals, so needs the key itself)."""
    found = []
    if settings.CACHES["default"]["BACKEND"] != _REDIS:
        found.append(
            (
                "001",
                "The cache is not shared: page generations, rate limits, replay guards and "
                "pending SAML sign-ins would be counted per machine.",
                "Set SAMVERKAN_CACHE_URL=redis://… (every node the same).",
            )
        )
    if urlsplit(settings.CELERY_BROKER_URL).scheme in {"filesystem", "memory"}:
        found.append(
            (
                "002",
                "The broker is a folder on this machine: a worker elsewhere never sees the tasks.",
                "Set CELERY_BROKER_URL=redis://… or amqp://….",
            )
        )
    if settings.STORAGES["default"]["BACKEND"] != _S3 and not settings.SAMVERKAN_MEDIA_SHARED:
        found.append(
            (
                "003",
                "The stored files are in a folder of this machine: another node would not "
                "find a handling uploaded here, nor the worker's PDFs.",
                "Set SAMVERKAN_S3_BUCKET (an S3 bucket), or SAMVERKAN_MEDIA_SHARED=1 for a "
                "folder every node mounts.",
            )
        )
    keyed = bool(_seal("PKCS12") or _seal("PKCS11_MODULE"))
    chained = bool(_seal("CERTIFICATE"))
    if not keyed and (worker or not chained):  # a worker seals; a web node may only verify
        found.append(
            (
                "004",
                "A worker seals: it needs the seal's key, not only its certificates."
                if chained
                else "No seal is configured: each machine would make its own demo CA and "
                "seal with it.",
                "Set SAMVERKAN_SEAL_PKCS12 (or SAMVERKAN_SEAL_PKCS11_MODULE) on the workers "
                "and SAMVERKAN_SEAL_CERTIFICATE (the chain) on every node.",
            )
        )
    elif keyed and not chained:
        found.append(
            (
                "005",
                "The seal's certificate chain is not configured: every node that verifies "
                "(/verifiera/) would have to open the private key.",
                "Set SAMVERKAN_SEAL_CERTIFICATE to the chain (PEM); give the key to the "
                "workers only.",
            )
        )
    if _saml_providers() and not (
        settings.SAMVERKAN_SAML_KEY_FILE and settings.SAMVERKAN_SAML_CERT_FILE
    ):
        found.append(
            (
                "006",
                "No SAML key pair is configured: each machine would make its own and publish "
                "different metadata.",
                "Set SAMVERKAN_SAML_KEY_FILE and SAMVERKAN_SAML_CERT_FILE (every node the same).",
            )
        )
    return found


@register(TAG)
def shared_by_every_node(
    app_configs: Any = None, *, worker: bool = False, **kwargs: Any
) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    one_machine = settings.SAMVERKAN_ONE_MACHINE
    return [
        (Warning if one_machine else Error)(
            message + (" (Declared one machine: SAMVERKAN_ONE_MACHINE=1.)" if one_machine else ""),
            hint=hint,
            id=f"samverkan.{'W' if one_machine else 'E'}{number}",
        )
        for number, message, hint in _problems(worker=worker)
    ]


def startup_errors(*, worker: bool = False) -> list[str]:
    """The errors that keep a production web node (or ``worker``) from starting."""
    return [
        f"{message.id}: {message.msg} {message.hint}"
        for message in shared_by_every_node(worker=worker)
        if message.is_serious()
    ]


def refuse_to_start(*, worker: bool = False) -> None:
    """Stop a production web node or worker before it serves where it would keep to
    itself what every node must share (called by samverkan.wsgi and the worker)."""
    from django.core.exceptions import ImproperlyConfigured

    if settings.PRODUCTION and (errors := startup_errors(worker=worker)):
        raise ImproperlyConfigured("Production cannot start:\n" + "\n".join(errors))

"""Samverkansportalen: the project package (settings, URLs, Celery app, shared base)."""

from samverkan.celery import app as celery_app

__all__ = ("celery_app",)

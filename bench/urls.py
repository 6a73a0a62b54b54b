"""The portal's URLs plus the bench's bare view (only with ``SAMVERKAN_BENCH=1``): a
Django view that renders a template of a given size and asks the database nothing.
Each key page is measured beside it, and the ratio is the figure that counts, since
absolute times on a shared machine drift."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine
from django.urls import path

from samverkan.urls import urlpatterns as portal

_TEMPLATE = Engine().from_string(
    '<!DOCTYPE html><html lang="sv"><head><title>{{ title }}</title></head><body>'
    "{% for line in lines %}<p>{{ line }}</p>{% endfor %}</body></html>"
)
_LINE = "Samverkan mellan regionen och kommunerna följs upp varje år. "  # 62 bytes


def bare(request: HttpRequest, size: int) -> HttpResponse:
    lines = [_LINE] * max(1, size // (len(_LINE.encode()) + 7))
    return HttpResponse(_TEMPLATE.render(Context({"title": "Bare", "lines": lines})))


urlpatterns = [path("bench/bare/<id:size>/", bare, name="bench-bare"), *portal]

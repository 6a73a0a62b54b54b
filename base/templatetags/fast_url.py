"""The ``{% url %}`` tag of every template (a builtin, see settings.TEMPLATES), the
same as Django's except that an address with one row id is made by
``base.reversing.reverse_id`` (per row, no pattern search) and one without arguments
by ``base.reversing.reverse_plain`` (once per key: the menu's twenty addresses)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from base.reversing import is_row_id, reverse_id, reverse_plain

register = template.Library()


class RowURLNode(URLNode):
    def render(self, context: Any) -> str:
        if self.kwargs or len(self.args) > 1:
            return str(super().render(context))
        pk = self.args[0].resolve(context) if self.args else None
        if self.args and not is_row_id(pk):
            return str(super().render(context))
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        view_name = self.view_name.resolve(context)
        if pk is None:
            try:
                url = reverse_plain(view_name, current_app=current_app)
            except NoReverseMatch:  # Django's own tag says so (or sets "" with "as")
                return str(super().render(context))
        else:
            url = reverse_id(view_name, pk, current_app=current_app)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    node = django_url(parser, token)
    node.__class__ = RowURLNode
    return node

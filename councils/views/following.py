"""Mina bevakningar: following an arena, an ärende or a search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from base.actors import acting_user
from base.decorators import secretariat_required
from base.redirects import next_url
from councils import reminders, selectors, services
from councils.forms.following import WatchForm
from councils.models import Reminder, Watch


@login_required
def watch_list(request: HttpRequest) -> TemplateResponse:
    """Mina bevakningar."""
    watches = Watch.objects.filter(user_id=request.user.pk or 0).select_related(
        "body", "case__diarium"
    )
    return TemplateResponse(request, "councils/watch_list.html", {"watches": watches})


@login_required
@require_POST
def watch_add(request: HttpRequest) -> HttpResponse:
    """Follow an arena, an ärende (as far as the user may see it) or a search."""
    form = WatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That cannot be followed."))
        return redirect("councils:watches")
    data = form.cleaned_data
    kind = data["kind"]
    target: Any = None
    if kind == Watch.Kind.BODY:
        target = selectors.body_get(slug=data["body"])
        services.watch_add(actor=acting_user(request), kind=kind, body=target)
    elif kind == Watch.Kind.CASE:
        target = selectors.case_get_for_user(user=request.user, pk=data["case"] or 0)
        services.watch_add(actor=acting_user(request), kind=kind, case=target)
    else:
        filters = {k: data[k] for k in ("kind_filter", "body_filter", "year") if data.get(k)}
        filters = {k.removesuffix("_filter"): v for k, v in filters.items()}
        services.watch_add(actor=acting_user(request), kind=kind, query=data["q"], filters=filters)
    messages.success(
        request,
        _("You follow it now. New things come by e-mail, at most once a day."),
    )
    return redirect(next_url(request, request.POST.get("next"), default="councils:watches"))


@login_required
@require_POST
def watch_change(request: HttpRequest, pk: int) -> HttpResponse:
    watch = get_object_or_404(Watch, pk=pk, user_id=request.user.pk or 0)
    if request.POST.get("action") == "remove":
        services.watch_remove(watch=watch)
        messages.success(request, _("The bevakning was ended."))
    else:
        services.watch_set_immediate(watch=watch, immediate=request.POST.get("immediate") == "1")
        messages.success(request, _("The bevakning was saved."))
    return redirect("councils:watches")


@csrf_exempt  # the link in the mail; mail programs may POST it (RFC 8058)
@require_http_methods(["GET", "POST"])
def watch_unsubscribe(request: HttpRequest, token: str) -> TemplateResponse:
    ended = services.unsubscribe(token=token)
    return TemplateResponse(
        request, "councils/watch_unsubscribed.html", {"ended": ended}, status=200 if ended else 400
    )


@secretariat_required
def reminder_list(request: HttpRequest) -> TemplateResponse:
    """Every reminder due now or in the next two weeks (sent or not yet), and the last
    ones sent."""
    today = timezone.localdate()
    sent = Reminder.objects.exclude(sent_at=None).select_related("person").order_by("-sent_at")
    return TemplateResponse(
        request,
        "councils/reminder_list.html",
        {"pending": reminders.pending(today), "sent": sent[:100], "today": today},
    )

"""The check before publication, the pages: the secretariat's list of records whose
public text holds personal data not yet masked or confirmed, the panel on each such
record's page, and the one form that masks or confirms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.actors import acting_user
from base.decorators import secretariat_required
from base.roles import is_secretariat
from councils import selectors, services
from councils.models import PersonalDataChecked


def personal_data_panel(user: Any, record: PersonalDataChecked) -> dict[str, Any] | None:
    """What the record's page shows the secretariat of its findings (None: nothing)."""
    if not record.personal_data or not is_secretariat(user):
        return None
    model = record._meta.model_name
    return {
        "record": record,
        "model": model,
        "anchor": f"personal-data-{model}-{record.pk}",
        "findings": record.personal_data_findings(),
        "maskable": record.personal_data_maskable,
    }


@secretariat_required
def personal_data_list(request: HttpRequest) -> TemplateResponse:
    """Everything kept from the public until its personal data is masked or confirmed."""
    groups = [
        (model._meta.verbose_name_plural, list(records))
        for model, records in selectors.personal_data_held_back()
    ]
    return TemplateResponse(request, "councils/personal_data_list.html", {"groups": groups})


@secretariat_required
@require_POST
def personal_data_decide(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Mask the findings, or confirm with a reason that they may be published."""
    model_class = selectors.checked_models().get(model)
    if model_class is None:
        raise Http404
    record = get_object_or_404(model_class, pk=pk)
    actor = acting_user(request)
    try:
        if request.POST.get("action") == "mask":
            services.personal_data_mask(actor=actor, record=record)
            done = _("Masked: the public reads the text without the personal data.")
        else:
            services.personal_data_confirm(
                actor=actor, record=record, reason=request.POST.get("reason", "")
            )
            done = _("Confirmed: the public can read it.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(record.review_url())

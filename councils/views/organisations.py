"""Pages of the arenas, people and organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from base import panels
from base.actors import acting_user
from base.classcache import class_cached
from base.decorators import secretariat_required
from base.history import history_for, history_of
from base.roles import is_secretariat
from councils import selectors, services
from councils.forms.organisations import AssessorForm, RegistratorForm
from councils.models import (
    Body,
    Membership,
    Organisation,
    OrganisationRole,
    Person,
)
from councils.overview import build_overview
from councils.selectors.arvoden import reads_arvoden
from councils.views import classes


def body_list(request: HttpRequest) -> TemplateResponse:
    """All arenas grouped by organisation, each with its mandate and seats."""
    bodies = list(
        selectors.bodies_overview().order_by("organisation__kind", "organisation__name", "name")
    )
    groups: dict[Organisation, list[Body]] = {}
    for body in bodies:
        groups.setdefault(body.organisation, []).append(body)
    return TemplateResponse(request, "councils/body_list.html", {"groups": groups})


@class_cached(classes.permission_class_only)
def body_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """One arena: purpose, mandate, standing subjects, rhythm, seats, members, history."""
    body = selectors.body_get(slug=slug)
    context = {
        "body": body,
        "parts": body.parts.all(),
        "seat_allocations": body.seat_allocations.select_related("organisation"),
        "memberships": selectors.body_memberships(body=body),
        "recent_cases": selectors.cases_for_user(request.user).filter(body=body)[:10],
        "history": history_for(body, show_values=is_secretariat(request.user)),
    }
    context["upcoming_meetings"], context["past_meetings"] = selectors.meetings_around(body=body)
    context["latest_justerat"] = selectors.latest_justerat_meeting(body)
    return TemplateResponse(request, "councils/body_detail.html", context)


def body_meetings(request: HttpRequest, slug: str) -> TemplateResponse:
    """Every meeting of an arena, by year, each with its protocol once justerat."""
    body = selectors.body_get(slug=slug)
    return TemplateResponse(
        request,
        "councils/body_meetings.html",
        {"body": body, "years": selectors.body_meetings_by_year(body)},
    )


def body_membership_history(request: HttpRequest, slug: str) -> TemplateResponse:
    """Who joined, left or changed role in an arena: by whom and when."""
    body = selectors.body_get(slug=slug)
    history = history_of(
        Membership.history.filter(body_id=body.pk),
        model=Membership,
        show_values=is_secretariat(request.user),
        subject="person",
        limit=50,
    )
    return TemplateResponse(
        request, "councils/body_membership_history.html", {"body": body, "history": history}
    )


def overview(request: HttpRequest) -> TemplateResponse:
    """The picture of the political arenas, with the same facts as a table."""
    bodies = list(selectors.bodies_overview())
    return TemplateResponse(
        request,
        "councils/overview.html",
        {"overview": build_overview(bodies), "bodies": sorted(bodies, key=lambda b: b.name)},
    )


def person_list(request: HttpRequest) -> TemplateResponse:
    """Everyone with a current seat or role, with how many arenas each sits in."""

    today = timezone.localdate()
    current = (Q(memberships__start__lte=today) | Q(memberships__start__isnull=True)) & (
        Q(memberships__end__gte=today) | Q(memberships__end__isnull=True)
    )
    people = (
        selectors.people_for_user(None)
        .annotate(arena_count=Count("memberships__body", filter=current, distinct=True))
        .filter(arena_count__gt=0)
        .order_by("-arena_count", "last_name", "first_name")
    )
    return TemplateResponse(request, "councils/person_list.html", {"people": people})


def person_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Every arena a person sits in, current and past."""
    person = selectors.person_get(pk=pk, user=request.user)
    memberships = list(selectors.person_memberships(person=person))
    active_ids = set(Membership.objects.active().filter(person=person).values_list("pk", flat=True))
    current = [m for m in memberships if m.pk in active_ids]
    past = [m for m in memberships if m.pk not in active_ids]
    context = {
        "person": person,
        "current": current,
        "past": past,
        "arena_count": len({m.body_id for m in current}),
        "history": history_for(person, show_values=is_secretariat(request.user)),
        # What the apps above add (the identity app: how the person signs in).
        "panels": panels.for_page("person", request, person=person),
    }
    return TemplateResponse(request, "councils/person_detail.html", context)


def organisation_list(request: HttpRequest) -> TemplateResponse:
    organisations = Organisation.objects.annotate(
        seat_total=Count("seat_allocations", distinct=True)
    ).order_by("kind", "name")
    return TemplateResponse(
        request, "councils/organisation_list.html", {"organisations": organisations}
    )


def organisation_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """An organisation's own bodies, the seats it appoints and its representatives;
    for the secretariat, who assesses the agreements for a kommun and who reads its
    arvoden; for those who may, the way to the arvode report."""
    organisation = selectors.organisation_get(slug=slug)
    secretariat = is_secretariat(request.user)
    manages = secretariat and organisation.kind == Organisation.Kind.KOMMUN
    roles = list(organisation.person_roles.select_related("person")) if secretariat else []
    # The people each role form offers, read once for all three forms.
    people = (
        list(Person.objects.filter(organisation=organisation, user__isnull=False))
        if secretariat and organisation.kind != Organisation.Kind.PARTY
        else []
    )
    shared: dict[str, Any] = {"organisation": organisation, "people": people, "roles": roles}
    context = {
        "organisation": organisation,
        "assessors": [r for r in roles if r.kind == OrganisationRole.Kind.ASSESSOR]
        if manages
        else [],
        "assessor_form": AssessorForm(**shared) if manages else None,
        "payroll": [r for r in roles if r.kind == OrganisationRole.Kind.PAYROLL],
        "payroll_form": AssessorForm(**shared, kind=OrganisationRole.Kind.PAYROLL)
        if secretariat and organisation.kind != Organisation.Kind.PARTY
        else None,
        "decisions": [r for r in roles if r.kind == OrganisationRole.Kind.DECISIONS],
        "decisions_form": AssessorForm(**shared, kind=OrganisationRole.Kind.DECISIONS)
        if secretariat and organisation.kind != Organisation.Kind.PARTY
        else None,
        "registrator_form": RegistratorForm(instance=organisation) if secretariat else None,
        "panels": panels.for_page("organisation", request, organisation=organisation),
        "shows_arvoden": request.user.is_authenticated
        and reads_arvoden(request.user, organisation),
        # Only what the page shows of each row: an arena's text fields (purpose,
        # mandate, rules) are most of its row. The organisation's own key stays: the
        # related manager sets it on each row.
        "own_bodies": organisation.bodies.only("name", "slug", "organisation"),
        "seats": organisation.seat_allocations.select_related("body").only(
            "organisation", "seats", "body__name", "body__slug"
        ),
        "representatives": Membership.objects.active()
        .filter(represents=organisation)
        .select_related("person", "body")
        .only("role", "person__first_name", "person__last_name", "body__name", "body__slug")
        .order_by("body__name", "role"),
        "history": history_for(organisation, show_values=is_secretariat(request.user)),
    }
    return TemplateResponse(request, "councils/organisation_detail.html", context)


#: What the organisation page says when a role is given or taken away.
ROLE_GIVEN = {
    OrganisationRole.Kind.ASSESSOR: gettext_lazy(
        "%(name)s now assesses the agreements for %(organisation)s."
    ),
    OrganisationRole.Kind.PAYROLL: gettext_lazy(
        "%(name)s now reads the arvoden of %(organisation)s."
    ),
    OrganisationRole.Kind.DECISIONS: gettext_lazy(
        "%(name)s now records the decisions of %(organisation)s on recommendations."
    ),
}
ROLE_TAKEN = {
    OrganisationRole.Kind.ASSESSOR: gettext_lazy("The person no longer assesses the agreements."),
    OrganisationRole.Kind.PAYROLL: gettext_lazy("The person no longer reads the arvoden."),
    OrganisationRole.Kind.DECISIONS: gettext_lazy(
        "The person no longer records the decisions on recommendations."
    ),
}


@secretariat_required
@require_POST
def assessor_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Give one of the organisation's people a role: bedömningsansvarig (the default),
    or arvodesadministratör."""
    organisation = selectors.organisation_get(slug=slug)
    kind = request.POST.get("kind") or OrganisationRole.Kind.ASSESSOR
    selectors.require(kind in OrganisationRole.Kind.values)
    form = AssessorForm(request.POST, organisation=organisation, kind=kind)
    if not form.is_valid():
        messages.error(request, _("Choose one of the municipality's people."))
        return redirect(organisation)
    try:
        services.organisation_role_grant(
            actor=acting_user(request),
            organisation=organisation,
            person=form.cleaned_data["person"],
            kind=kind,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ROLE_GIVEN[OrganisationRole.Kind(kind)]
            % {"name": form.cleaned_data["person"].full_name, "organisation": organisation.name},
        )
    return redirect(organisation)


@secretariat_required
@require_POST
def assessor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(OrganisationRole.objects.select_related("organisation"), pk=pk)
    services.organisation_role_revoke(actor=acting_user(request), role=role)
    messages.success(request, ROLE_TAKEN[OrganisationRole.Kind(role.kind)])
    return redirect(role.organisation)


@secretariat_required
@require_POST
def person_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(pk=pk, user=request.user)
    try:
        services.person_anonymise(actor=acting_user(request), person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(person)
    messages.success(request, _("The person is no longer named on the portal's pages."))
    return redirect("councils:person-list")


@secretariat_required
@require_POST
def registrator_change(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's registrator address: where extracts and requests for its
    decisions are sent."""
    organisation = selectors.organisation_get(slug=slug)
    form = RegistratorForm(request.POST, instance=organisation)
    if form.is_valid():
        services.organisation_registrator_set(
            actor=acting_user(request),
            organisation=organisation,
            official_email=form.cleaned_data["official_email"],
        )
        messages.success(request, _("The registrator address was saved."))
    else:
        messages.error(request, " ".join(str(t) for errors in form.errors.values() for t in errors))
    return redirect(organisation)

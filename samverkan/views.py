"""Portal-wide pages: the start page, health, the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from councils import selectors
from councils.models import Body, Membership, Organisation
from samverkan import search
from samverkan.celery import app as celery_app
from samverkan.forms import SearchForm
from samverkan.health import health_report


def home(request: HttpRequest) -> TemplateResponse:
    """The start page: what the portal is, the way into every part, and the user's own."""
    person = selectors.viewer_person(request.user)
    my_memberships = (
        Membership.objects.active()
        .filter(person=person)
        .select_related("body")
        .order_by("body__name")
        if person
        else Membership.objects.none()
    )
    organisation = person.organisation if person and person.organisation_id else None
    context = {
        "person": person,
        "assesses_for": organisation if organisation and organisation.kind == "kommun" else None,
        "my_memberships": my_memberships,
        "recent_cases": selectors.cases_for_user(request.user).order_by(
            "-registered_on", "-number"
        )[:6],
        "body_count": Body.objects.filter(ended__isnull=True).count(),
        "kommun_count": Organisation.objects.filter(kind=Organisation.Kind.KOMMUN).count(),
    }
    return TemplateResponse(request, "home.html", context)


def search_page(request: HttpRequest) -> TemplateResponse:
    """The search box's results, with filters; htmx swaps just the results."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        results = search.search(
            user=request.user,
            text=data["q"],
            filters=search.Filters(
                body=data["body"].pk if data["body"] else None,
                year=data["year"],
                kind=data["kind"],
                organisation=data["organisation"].pk if data["organisation"] else None,
            ),
            page=data["page"] or 1,
        )
    template = "search.html#results" if getattr(request, "htmx", False) else "search.html"
    return TemplateResponse(
        request, template, {"form": form, "results": results, "kinds": search.KINDS}
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON: do the database, the broker and a worker answer? 503 when one does not."""
    report = health_report(celery_app)
    return JsonResponse(report, status=200 if report["ok"] else 503)


def accessibility(request: HttpRequest) -> TemplateResponse:
    """The tillgänglighetsredogörelse that every page's footer links to."""
    return TemplateResponse(request, "accessibility.html", {})

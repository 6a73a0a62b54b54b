"""Portal-wide pages: the start page, health, the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from base.accounts import ApiToken
from base.classcache import class_cached
from base.pages import is_htmx
from base.redirects import next_url
from base.roles import is_secretariat
from councils import selectors
from councils.models import Body, Membership, Organisation
from councils.selectors.arvoden import payroll_organisations_of
from followups.selectors import assessing_kommun
from samverkan import workplace
from samverkan.celery import app as celery_app
from samverkan.forms import SearchForm
from samverkan.health import health_report
from search import queries as search


@class_cached(workplace.start_page_class)
def home(request: HttpRequest) -> TemplateResponse:
    """The start page: what the portal is, the way into every part, and the user's own."""
    person = selectors.viewer_person(request.user)
    notices = list(selectors.notices_current())  # the anslag up now: a few at a time
    my_memberships = (
        Membership.objects.active()
        .filter(person=person)
        .select_related("body")
        .order_by("body__name")
        if person
        else Membership.objects.none()
    )
    context = {
        "person": person,
        "assesses_for": assessing_kommun(request.user),
        # The organisations whose arvoden the user reads (the secretariat reaches every
        # one through the organisation pages).
        "pays_for": payroll_organisations_of(request.user)
        if person and not is_secretariat(request.user)
        else [],
        "my_memberships": my_memberships,
        "recent_cases": selectors.cases_for_user(request.user).order_by(
            "-registered_on", "-number"
        )[:6],
        "body_count": Body.objects.filter(ended__isnull=True).count(),
        "kommun_count": Organisation.objects.filter(kind=Organisation.Kind.KOMMUN).count(),
        # What waits for the user (the start page is a to-do list), and for everyone
        # what the public comes for.
        "due": workplace.secretariat_due(notices) if is_secretariat(request.user) else [],
        "work": workplace.member_work(request.user) if person else None,
        "kommun_todos": workplace.kommun_work(request.user) if person else [],
        "overview": workplace.public_overview(request.user, notices),
    }
    return TemplateResponse(request, "home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own, page or not: the portal's icon."""
    response = redirect(static("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


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
    template = "search.html#results" if is_htmx(request) else "search.html"
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "results": results,
            "kinds": search.KINDS,
            "count_cap": search.COUNT_CAP,
        },
    )


@require_http_methods(["GET", "POST"])
def open_data(request: HttpRequest) -> HttpResponse:
    """The open-data API explained, and a logged-in person's API keys: make one (shown
    once), or revoke one."""
    new_key = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.POST.get("revoke"):
            ApiToken.objects.filter(
                pk=request.POST["revoke"], user_id=request.user.pk, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            messages.success(request, _("The key was revoked: it no longer opens the API."))
        else:
            name = request.POST.get("name", "").strip()[:100]
            if not name:
                messages.error(request, _("Give the key a name, e.g. what it is for."))
            else:
                _token, new_key = ApiToken.issue(user=request.user, name=name)
    tokens = (
        ApiToken.objects.filter(user_id=request.user.pk) if request.user.is_authenticated else []
    )
    return TemplateResponse(
        request,
        "open_data.html",
        {
            "tokens": tokens,
            "new_key": new_key,
            "system_url": request.build_absolute_uri(reverse("api:system")),
            "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON: do the database, the broker and a worker answer? 503 when one does not."""
    report = health_report(celery_app)
    return JsonResponse(report, status=200 if report["ok"] else 503)


def accessibility(request: HttpRequest) -> TemplateResponse:
    """The tillgänglighetsredogörelse that every page's footer links to."""
    return TemplateResponse(request, "accessibility.html", {})


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch: a link (a public page then carries no form token and can be
    kept in the page cache); it sets the language cookie and goes back."""
    if code not in dict(settings.LANGUAGES):
        return HttpResponse(_("No such language."), status=404, content_type="text/plain")
    response = redirect(next_url(request, request.GET.get("next"), default="home"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response

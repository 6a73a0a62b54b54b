"""What every endpoint of the open-data API shares: the bearer key, errors as JSON,
URLs, moments, created/modified/deleted and OParl's paging."""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from base import classcache
from base.accounts import ApiToken
from base.reversing import STAND_IN, is_row_id, reverse_id
from councils.selectors import permission_class

OPARL = "https://schema.oparl.org/1.1/"
PER_PAGE, MAX_PER_PAGE = 50, 200
#: Mandate periods (mandatperioder) of four years; the first that the portal holds.
FIRST_TERM = 2015


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


JSON = "application/json; charset=utf-8"
#: What every answer carries, errors and preflights too (OParl 2.6: CORS).
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization",
}


def _json(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, content_type=JSON, json_dumps_params={"ensure_ascii": False}
    )
    for header, value in CORS.items():
        response[header] = value
    return response


def _error(status: int, message: str) -> JsonResponse:
    """OParl's error object (2.9): its type, a message for a person, and the status."""
    return _json(
        {"type": OPARL + "Error", "message": message, "debug": f"HTTP {status}"}, status=status
    )


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """JSON in every case: the key (if any) decides the user; a missing object, a bad
    parameter or a bad key answer with a JSON error, never an HTML page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":  # a CORS preflight: what a browser may ask
            preflight = HttpResponse(status=204)
            for header, value in CORS.items():
                preflight[header] = value
            preflight["Access-Control-Max-Age"] = "86400"
            return preflight
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "Only GET is allowed.")
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        header = request.headers.get("Authorization", "")
        if header:
            user = ApiToken.user_for_header(header)
            if user is None:
                return _error(401, "The API key is not valid or has been revoked.")
            request.user = user
        elif not request.user.is_authenticated:
            request.user = AnonymousUser()

        def answer() -> HttpResponse:
            try:
                data = view(request, *args, **kwargs)
            except Http404:
                return _error(404, "No such object, or not one you may see.")
            except ApiError as error:
                return _error(error.status, error.message)
            return _json(data)

        # What a key's owner or a logged-in person is given depends only on the gates
        # they pass: kept for their permission class (base/classcache.py).
        if classcache.cacheable(request, by_key=True):
            answered = classcache.kept_answer(request, permission_class(request.user), answer)
        else:
            answered = answer()
        if request.headers.get("Authorization"):
            answered["Cache-Control"] = "private, no-store"
        return answered

    wrapper.class_cached = True  # type: ignore[attr-defined]
    return wrapper


def _absolute(request: HttpRequest, path: str) -> str:
    """``request.build_absolute_uri(path)`` for a path ``reverse`` made (it starts with
    a slash and is already a URI): the scheme and host worked out once a request, as a
    list answer holds thousands of addresses."""
    origin = getattr(request, "_api_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        request._api_origin = origin  # type: ignore[attr-defined]
    return f"{origin}{path}"


def _url(request: HttpRequest, name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
    if len(args) == 1 and is_row_id(args[0]) and not query:
        # A list answer holds thousands of these: each name's address is worked out once
        # a request (scheme, host and pattern), the row's id put in its place.
        known: dict[str, tuple[str, str] | None] = request.__dict__.setdefault("_api_urls", {})
        if name not in known:
            whole = _absolute(request, reverse_id(f"api:{name}", STAND_IN))
            parts = whole.split(str(STAND_IN))
            known[name] = (parts[0], parts[1]) if len(parts) == 2 else None
        halves = known[name]
        if halves is not None:
            return f"{halves[0]}{args[0]}{halves[1]}"
    if len(args) == 1:
        path = reverse_id(f"api:{name}", args[0])
    else:
        path = reverse(f"api:{name}", args=args)
    url = _absolute(request, path)
    return f"{url}?{urlencode(query)}" if query else url


def _web(request: HttpRequest, obj: Any) -> str:
    return _absolute(request, obj.get_absolute_url())


def _moment(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _stamped(queryset: QuerySet[Any], *, also: Any = None) -> QuerySet[Any]:
    """Annotate ``created`` and ``modified`` from django-simple-history; ``also`` (an
    expression, NULL when there is none) is a later change the row's history does not
    hold, which ``modified`` then includes (PostgreSQL's GREATEST skips a NULL)."""
    history = queryset.model.history.model
    rows = history.objects.filter(id=OuterRef("pk"))
    last = Subquery(rows.order_by("-history_date").values("history_date")[:1])
    return queryset.annotate(
        created=Subquery(rows.order_by("history_date").values("history_date")[:1]),
        modified=last if also is None else Greatest(last, also),
    )


def _moment_param(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    problem = ApiError(400, f"{name}: give a date or time as ISO 8601, e.g. 2026-01-31.")
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise problem
            moment = datetime.datetime.combine(day, datetime.time())
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except (ValueError, OverflowError) as error:  # e.g. year 0, month 13
        raise problem from error


def _filtered(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    changed_since: Callable[[datetime.datetime], Q] | None = None,
) -> QuerySet[Any]:
    """OParl's four date filters on the ``created`` and ``modified`` annotations.
    ``changed_since`` gives ``modified_since`` as the rows with any change at or after
    the moment (the same rows, as the newest of several times is at or after it when
    any of them is): for a ``modified`` made of the row's and its embedded objects'
    histories, found through the histories' date indexes instead of computed for every
    row of the list."""
    for param, lookup in (
        ("created_since", "created__gte"),
        ("created_until", "created__lte"),
        ("modified_since", "modified__gte"),
        ("modified_until", "modified__lte"),
    ):
        moment = _moment_param(request, param)
        if moment is None:
            continue
        if param == "modified_since" and changed_since is not None:
            queryset = queryset.filter(changed_since(moment))
        else:
            queryset = queryset.filter(**{lookup: moment})
    return queryset


def _deleted(request: HttpRequest, model: type[Model], name: str, kind: str) -> list[dict]:
    """Objects deleted since ``modified_since``, marked as OParl asks."""
    since = _moment_param(request, "modified_since")
    if since is None:
        return []
    history = model.history.model  # type: ignore[attr-defined]
    return [
        {
            "id": _url(request, name, row.id),
            "type": OPARL + kind,
            "deleted": True,
            "modified": _moment(row.history_date),
        }
        for row in history.objects.filter(history_type="-", history_date__gte=since)
    ]


def omits_internal(request: HttpRequest) -> bool:
    """OParl 1.1's ``omit_internal=true`` (2.5): the client asks to be spared the lists
    a list's objects embed (a meeting's agenda items, a person's memberships, a paper's
    files), which it reads from the body's own lists. A body's terms stay: the official
    schema requires them."""
    return request.GET.get("omit_internal") == "true"


class Concatenated:
    """Several lists of rows, one after the other, as one list for ``_page``: counted
    part by part, a page sliced from the parts it spans (a query per part it touches)."""

    def __init__(self, *parts: QuerySet[Any]) -> None:
        self.parts = parts
        self._counts: list[int] = []

    def count(self) -> int:
        if not self._counts:
            self._counts = [part.count() for part in self.parts]
        return sum(self._counts)

    def __getitem__(self, window: slice) -> list[Any]:
        self.count()
        start, stop = window.start or 0, window.stop
        rows: list[Any] = []
        offset = 0
        for part, size in zip(self.parts, self._counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows += list(part[low:high])
            offset += size
        return rows


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any] | Concatenated,
    serialize: Callable[[Any], dict | None],
    *,
    deleted: list[dict] | None = None,
    before: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """OParl's list: data, pagination and links (filters kept in the links).
    ``before`` sees the page's rows first, to fetch what they share in one query;
    ``serialize`` gives None for a row it cannot show (a file gone from storage)."""
    try:
        page = max(int(request.GET.get("page", 1)), 1)
        limit = min(max(int(request.GET.get("limit", PER_PAGE)), 1), MAX_PER_PAGE)
    except ValueError as error:
        raise ApiError(400, "page and limit are whole numbers.") from error
    total = queryset.count()
    pages = max(math.ceil(total / limit), 1)
    page = min(page, pages)  # past the end: the last page, never an impossible offset
    rows = list(queryset[(page - 1) * limit : page * limit])
    if before is not None:
        before(rows)
    data = [found for found in (serialize(row) for row in rows) if found is not None]
    if page == pages and deleted:
        data += deleted
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.items() if k != "page"}

    def link(number: int) -> str:
        return f"{base}?{urlencode({**params, 'page': number})}"

    links = {"first": link(1), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": limit,
            "currentPage": page,
            "totalPages": pages,
        },
        "links": links,
    }


def _stamps(obj: Any) -> dict[str, Any]:
    return {"created": _moment(obj.created), "modified": _moment(obj.modified)}


@api_view
def not_found(request: HttpRequest, rest: str = "") -> dict[str, Any]:
    """Any other address under the API answers in JSON too."""
    raise Http404

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from base.roles import is_secretariat

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def secretariat_required(view: _View) -> _View:
    """Pages for secretariat staff: others are sent to log in, or refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return cast("_View", wrapper)


def api_key_accepted(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page an API client may fetch with its key too (a document's file, whose URL
    the API hands out): ``Authorization: Bearer <key>`` makes the key's owner the user,
    as in the API; a key that is not valid answers 401. Without one, the session's user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        header = request.headers.get("Authorization", "")
        if header:
            from base.accounts import ApiToken

            user = ApiToken.user_for_header(header)
            if user is None:
                return HttpResponse("The API key is not valid or has been revoked.", status=401)
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper

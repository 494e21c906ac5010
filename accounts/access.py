"""Role checks for views. Anonymous users go to the login page; a wrong role gets a 403 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from accounts.roles import Role
from accounts.two_factor import pending_step, redirect_to_step
from ivplatform.http import StaffRequest

View = TypeVar("View", bound=Callable[..., HttpResponse])


def role_required(*roles: Role, association_only: bool = False) -> Callable[[View], View]:
    """Let a view through only for a signed-in user with one of ``roles`` on this host who has passed
    any two-factor step they owe (the middleware checks that too; this keeps a view safe without it)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            step = pending_step(request)
            if step is not None:
                return redirect_to_step(request, step)
            if not user.has_role(*roles):
                raise PermissionDenied
            if association_only and not request.tenant.is_association:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator

"""The API's own endpoints and the profile page where users make and revoke their tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import role_required
from accounts.roles import EVERYONE
from api.forms import ApiTokenForm
from api.resources.schema import ApiSchema
from api.selectors import tokens_of_user
from api.serializers import MeSerializer
from api.services import ApiTokenError, api_token_create, api_token_revoke
from ivplatform.http import StaffRequest

if TYPE_CHECKING:
    from accounts.models import User


class MeView(APIView):
    """Who the token or session belongs to: a quick way for an integration to check its credentials."""

    read_roles = frozenset(EVERYONE)
    # Documents the error answers too: 401 without a valid token or session, like every other endpoint.
    schema = ApiSchema()

    @extend_schema(responses={200: MeSerializer}, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        user = cast("User", request.user)  # HasRole let only a signed-in user through
        return Response(MeSerializer(user, context={"request": request}).data)


@role_required(*EVERYONE)
def profile_tokens(request: StaffRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApiTokenError as exc:
            form.add_error("name", str(exc))
        else:
            form = ApiTokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "new_token": new_token, "tokens": tokens_of_user(actor=request.user)},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*EVERYONE)
def profile_token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiTokenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, token.name)
    return redirect("api:tokens")

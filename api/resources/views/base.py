"""What every endpoint of /api/v1/ shares: the roles it declares, the schema that documents its errors,
and how a refusal of a service becomes a 409 in the one error shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, ModelSerializer

from accounts.roles import Role
from api.resources.schema import ApiSchema
from core.errors import DomainError
from people.services.people import DuplicatePeopleError

if TYPE_CHECKING:
    from accounts.models import User

T = TypeVar("T")
S = TypeVar("S", bound=BaseSerializer[Any])


class RuleRefused(APIException):
    """A rule of the work refused a well-formed request (a full activity's rules, a cancelled session,
    someone already registered): the request conflicts with the current state, so 409, not 400.

    ``fields`` names the input the refusal is about, when the service said (api.errors shows it)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.fields = fields


def _refusal_fields(exc: Exception, rows: str | None) -> dict[str, Any] | None:
    """Where a refusal belongs: the field the service named (``rows.<index>.<field>`` for a row of a
    list, e.g. a family's members), or for possible duplicates, who they are (ids the user may see)."""
    if isinstance(exc, DuplicatePeopleError):
        found = {
            index: sorted(match.person.pk for match in matches) for index, matches in exc.matches.items()
        }
        if rows is None:
            return {"duplicates": sorted({pk for pks in found.values() for pk in pks})}
        return {"duplicates": {f"{rows}.{index}": pks for index, pks in sorted(found.items())}}
    field = getattr(exc, "field", None)
    index = getattr(exc, "index", None)
    if rows is not None and index is not None:
        return {f"{rows}.{index}.{field or 'non_field_errors'}": [str(exc)]}
    return {field: [str(exc)]} if field else None


@contextmanager
def domain_errors(*, rows: str | None = None) -> Iterator[None]:
    """The services' domain exceptions as a 409 in the API's one error shape, with their message."""
    try:
        yield
    except DomainError as exc:
        raise RuleRefused(exc.message, _refusal_fields(exc, rows)) from exc


def referenced(lookup: Callable[[], T], message: str) -> T:
    """A record named in the request body, through the pages' access helper: missing and not-yours are
    the same 404, with a message that says which reference it was."""
    try:
        return lookup()
    except (Http404, ObjectDoesNotExist):
        raise NotFound(message) from None


def validated(serializer: S) -> S:
    """The body checked against its serializer: 400 with the messages per field when it does not fit."""
    serializer.is_valid(raise_exception=True)
    return serializer


class ApiViewSet(viewsets.GenericViewSet):
    """Shared by every endpoint here: roles, the error-documenting schema, integer ids in the path."""

    read_roles: frozenset[Role] = frozenset()
    write_roles: frozenset[Role] = frozenset()
    schema = ApiSchema()
    # JSON only: a list of marks has no form encoding, and one body format keeps the contract simple.
    parser_classes = [JSONParser]
    lookup_value_converter = "int"

    @property
    def actor(self) -> User:
        return cast("User", self.request.user)  # HasRole lets only signed-in users through

    @property
    def for_schema(self) -> bool:
        """True when drf-spectacular builds the contract: it asks for the queryset without a user."""
        return bool(getattr(self, "swagger_fake_view", False))

    def no_rows(self) -> QuerySet[Any]:
        """For the schema generator where the selector would refuse an anonymous actor: no rows, of the
        model the serializer shows (the contract describes the path's id from it)."""
        model: type[Model] = cast("type[ModelSerializer[Any]]", self.get_serializer_class()).Meta.model
        return model._default_manager.none()

    def answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        """The record as the list shows it (same selector, same annotations), after a write."""
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


# Each write names its own success answer; ApiSchema adds the errors (400, 401, 403, 404, 409, 429).
NO_BODY = OpenApiResponse(description="Done; nothing to show.")

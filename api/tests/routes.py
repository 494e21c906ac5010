"""Every API route of the tenant URL configuration, found by walking the resolver (never a hand-made list)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PLACEHOLDER_ID = "1"


@dataclass(frozen=True)
class Route:
    path: str  # with every parameter filled in
    name: str
    methods: tuple[str, ...]


def _fill(route: str) -> str:
    route = re.sub(r"<(?:int:)?\w+>", PLACEHOLDER_ID, route)  # path() converters
    route = re.sub(r"<\w+:\w+>", PLACEHOLDER_ID, route)
    route = re.sub(r"\(\?P<format>[^)]*\)", "", route)  # DRF's format suffixes
    route = re.sub(r"\(\?P<\w+>[^)]*\)", PLACEHOLDER_ID, route)  # regex groups
    return route.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")


def _methods(pattern: URLPattern) -> tuple[str, ...]:
    view = pattern.callback
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    actions = getattr(view, "actions", None)
    if actions:
        return tuple(sorted(method.upper() for method in actions))
    if cls is not None:
        return tuple(sorted(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)))
    return ("GET",)


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver("ivplatform.urls_tenant")
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, here)
        else:
            yield here, entry


def api_routes() -> list[Route]:
    routes = {}
    for raw, pattern in walk():
        path = "/" + _fill(raw)
        if not path.startswith("/api/v1/") or "format" in raw:
            continue
        routes[path] = Route(path=path, name=pattern.name or "", methods=_methods(pattern))
    return sorted(routes.values(), key=lambda route: route.path)

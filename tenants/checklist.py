"""The first admin's getting-started checklist.

Each item links to the page that does it, once that page exists: the URL names are tried in order and an
item with none that resolves is shown as plain text, never as a dead link. When a page lands (inviting
users, activities, importing people, the Swish number), add its URL name here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.models import User
from accounts.roles import Role


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: StrOrPromise
    text: StrOrPromise
    url_names: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem
    url: str | None
    done: bool


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "coordinators",
        _("Invite your coordinators"),
        _("Coordinators register people and run activities. Invite the ones who will work with you."),
        ("users:invite", "users:list", "accounts:invite", "core:user-invite"),
    ),
    ChecklistItem(
        "activity",
        _("Create your first activity"),
        _("A language café, a family day, football, homework help: the meeting places your network runs."),
        ("activities:create", "activities:activity-create", "activities:activity-list"),
    ),
    ChecklistItem(
        "people",
        _("Import the people you already know"),
        _("Bring in participants and families from the list or spreadsheet you keep today."),
        ("people:import", "core:people-import", "core:person-import"),
    ),
    ChecklistItem(
        "swish",
        _("Set your Swish number"),
        _("With a Swish number your public page can take donations by QR code."),
        ("donations:swish", "core:swish-settings", "core:settings"),
    ),
)


def _first_url(url_names: tuple[str, ...]) -> str | None:
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def checklist_for_tenant(*, actor: User) -> list[ChecklistEntry]:
    """The checklist in the current tenant's schema; an item is done when its result can be seen."""
    has_coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True).exists()
    return [
        ChecklistEntry(
            item=item, url=_first_url(item.url_names), done=item.key == "coordinators" and has_coordinators
        )
        for item in CHECKLIST
    ]

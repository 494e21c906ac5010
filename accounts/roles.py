"""The one vocabulary of roles. Every permission check names one of these sets or a single ``Role``.

A tenant's users have one role each. The sets say who may do a kind of work, so a page, its API endpoint
and the service behind them all name the same set.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    BOARD = "board", _("Board member")


# Settings, users, billing, erasure: the network's administrator.
ADMINS = frozenset({Role.ADMIN})
# The register, activities, matching, pathways, partners, projects, imports and exports.
MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Staff pages: managers and the volunteers who lead activities (who see only their own activities' people).
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER})
# Anyone signed in on a tenant's host, the association's board included.
EVERYONE = frozenset(Role)
# Roles that must pass two-factor authentication before any staff page; others may opt in.
TOTP_REQUIRED_ROLES = frozenset({Role.ADMIN, Role.BOARD})

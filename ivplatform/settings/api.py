"""Django REST framework and the OpenAPI contract (drf-spectacular)."""

from __future__ import annotations

from ivplatform.env import env_str

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # django-filter's and DRF's own backends, reading the query without NUL (api/query.py).
    "DEFAULT_FILTER_BACKENDS": [
        "api.query.FilterBackend",
        "api.query.SearchFilter",
        "api.query.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_THROTTLE_RATE", "2000/hour")},
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Internationella Vänner API",
    "DESCRIPTION": (
        "The API of one local network (or, on the association's host, its aggregated statistics). "
        "Authenticate with a personal token from your profile page: `Authorization: Bearer ivp_…`. "
        'Every error has the shape `{"error": {"status", "code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # Several choice sets of the local network are named "status"; name them after their model.
        "AttendanceStatusEnum": "activities.models.activities.AttendanceStatus",
        "MatchRequestStatusEnum": "matching.models.matching.MatchRequestStatus",
        # A check-in's status appears in two components (a match's check-ins, the list of those due).
        "CheckInStatusEnum": "matching.models.matching.CheckInStatus",
        # Several are named "kind", "arena" or "end_reason": likewise.
        "PartnerKindEnum": "partners.models.PartnerKind",
        "MatchKindEnum": "matching.models.matching.MatchKind",
        "ContactKindEnum": "matching.models.matching.ContactKind",
        "ActivityArenaEnum": "activities.models.activities.Arena",
        "PathwayArenaEnum": "matching.choices.PATHWAY_ARENA_CHOICES",
        "MatchEndReasonEnum": "matching.models.matching.MatchEndReason",
        "PathwayEndReasonEnum": "matching.models.pathways.PathwayEndReason",
        # "purpose" alone would say nothing in the contract.
        "ConsentPurposeEnum": "people.models.people.ConsentPurpose",
    },
}

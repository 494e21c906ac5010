"""The viewsets of /api/v1/, one module per domain area (``base`` holds what they share). Each declares
the roles that may read and write, as the pages do (HasRole), starts its queryset from the selector the
pages use, so the API never shows more than the UI, and writes through the services the pages call, so
the API never allows more than the UI either.

A write looks up the record with the pages' own access helper first (missing and not-yours: the same
404), then checks the body's shape (400), then calls one service; its refusal is a 409.
"""

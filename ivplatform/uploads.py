"""Refuse oversized uploaded files before a byte of them is stored, in memory or on disk.

Django streams a multipart body through its upload handlers in 64 KB chunks. This handler runs first: a
file over ``UPLOAD_MAX_BYTES`` is skipped (``SkipFile``), so the handlers after it (memory, temporary file)
never receive its data, the other form fields (the CSRF token among them) are still read, and the view can
explain the refusal. The view sees which fields were refused in ``request.refused_uploads``.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def refused_uploads(request: Any) -> dict[str, str]:
    """Field name → file name of every upload skipped for being too large in this request."""
    return getattr(request, "refused_uploads", {})


class UploadSizeLimitHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.UPLOAD_MAX_BYTES
        self.body_too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # The whole body is larger than any allowed file plus the other fields: refuse files at once.
        self.body_too_large = content_length > self.limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        declared = self.content_length
        if self.body_too_large or (declared is not None and declared > self.limit):
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self.file_name or ""
            cast(Any, self.request).refused_uploads = refused
        raise SkipFile

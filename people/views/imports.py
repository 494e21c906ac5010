"""Staff pages for importing households and people from CSV: upload, preview, commit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import MANAGERS
from ivplatform.http import StaffRequest
from ivplatform.uploads import refused_uploads
from people.forms.imports import ImportUploadForm, too_large_message
from people.importer import MAX_ROWS, ImportFileError
from people.selectors.imports import get_import_for_actor, import_preview, pending_rows
from people.services.imports import PersonImportError, person_import_commit, person_import_prepare


def _upload_page(request: StaffRequest, form: ImportUploadForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "max_size": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "max_rows": number_format(MAX_ROWS, force_grouping=True),
    }
    return render(request, "people/imports/upload.html", context, status=status)


@role_required(*MANAGERS)
def import_upload(request: StaffRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if "file" in refused_uploads(request):
        # The upload handler skipped the file before storing any of it; say why instead of "missing file".
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
        return _upload_page(request, form, status=413)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    uploaded = form.cleaned_data["file"]
    try:
        prepared = person_import_prepare(
            actor=request.user,
            file_name=uploaded.name or "import.csv",
            data=uploaded.read(),
            default_group=form.cleaned_data.get("default_group", ""),
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return _upload_page(request, form, status=400)
    if prepared.batch is None:
        # Errors in rows: show them all; nothing was kept, so the corrected file is simply uploaded again.
        return render(
            request,
            "people/imports/preview.html",
            {"errors": prepared.parsed.errors, "file_name": uploaded.name, "preview": None},
            status=400,
        )
    return redirect("people:import-preview", pk=prepared.batch.pk)


@role_required(*MANAGERS)
def import_preview_view(request: StaffRequest, pk: int) -> HttpResponse:
    batch = get_import_for_actor(actor=request.user, pk=pk)
    preview = import_preview(actor=request.user, rows=pending_rows(batch))
    if request.method == "POST":
        if preview.has_duplicates and not request.POST.get("confirm_duplicates"):
            messages.error(
                request, _("Some rows may already be registered. Check them and confirm to import anyway.")
            )
        else:
            try:
                result = person_import_commit(actor=request.user, batch=batch)
            except PersonImportError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Imported %(people)s people and %(households)s households.")
                    % {"people": result.people, "households": result.households},
                )
                return redirect("people:person-list")
    return render(
        request,
        "people/imports/preview.html",
        {"batch": batch, "preview": preview, "errors": [], "file_name": batch.file_name},
    )


@require_POST
@role_required(*MANAGERS)
def import_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    get_import_for_actor(actor=request.user, pk=pk).delete()
    messages.success(request, _("The import was cancelled; nothing was imported."))
    return redirect("people:import-upload")

"""The schools pages: schools and staff as each role may see them, and the office's
roster import (upload → preview → confirm), export and template.

Every lookup goes through ``selectors`` (scoped by ``access``); every change through
``services``.
"""

import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from staffing import workbook as wb
from staffing.history import history_of

from . import access, selectors, services
from .forms import RosterUploadForm, StaffFilterForm, StaffSearchForm
from .models import RosterImport
from .resident_id import mask
from .roster import ERROR_HEADER, roster_sheets, template_sheets


def _require_reviewer(user):
    if not access.scope_of(user).reviews_staff:
        raise PermissionDenied


@login_required
@require_GET
def school_list(request):
    _require_reviewer(request.user)
    page = selectors.school_page(request.user, page=request.GET.get("page"))
    show_township = len({school.township_id for school in page}) > 1
    return render(
        request, "schools/school_list.html", {"page": page, "show_township": show_township}
    )


@login_required
@require_GET
def school_detail(request, pk):
    school = selectors.school_get(request.user, pk)
    form = StaffSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.school_staff_page(
        request.user, school, query=query, page=request.GET.get("page")
    )
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "form": form,
            "query": query,
            "page": page,
            "history": history_of(school, limit=10),
        },
    )


@login_required
@require_GET
def staff_search(request):
    """Township-wide staff search for those who review schools (the office): a name, a
    subject or title, the ID's last four; a school; a subject. Paginated."""
    _require_reviewer(request.user)
    form = StaffFilterForm(request.GET or None,
                           schools=access.schools_reviewed(request.user).order_by("name"),
                           subjects=selectors.staff_subjects(request.user))
    found = form.cleaned_data if form.is_valid() else {}
    page = selectors.staff_search_page(
        request.user, query=found.get("q", ""), school=found.get("school"),
        subject=found.get("subject", ""), page=request.GET.get("page"))
    return render(request, "schools/staff_search.html", {"form": form, "page": page,
                                                         "searched": bool(request.GET)})


@login_required
@require_GET
def staff_detail(request, pk):
    staff = selectors.staff_get(request.user, pk)
    return _staff_page(request, staff, full_id=None)


@never_cache
@login_required
@require_POST
def staff_full_id(request, pk):
    """Show the full resident ID once, to those allowed; the service records the look."""
    staff = selectors.staff_get(request.user, pk)
    full_id = services.full_id_reveal(by=request.user, staff=staff)
    messages.info(request, _("The full resident ID is shown on this page only."))
    return _staff_page(request, staff, full_id=full_id)


def _staff_page(request, staff, *, full_id):
    user = request.user
    may_see_full_id = access.may_see_full_id(user, staff)
    office_of_staff = may_see_full_id and access.scope_of(user).is_office
    return render(
        request,
        "schools/staff_detail.html",
        {
            "staff": staff,
            "full_id": full_id,
            "may_see_full_id": may_see_full_id,
            "school_visible": selectors.school_visible(user, staff.school_id),
            "positions": selectors.staff_positions(staff),
            "assignments": selectors.staff_assignments(staff),
            "full_id_views": selectors.full_id_views(staff) if office_of_staff else None,
            "history": history_of(staff, formatters=_staff_history_formats(may_see_full_id)),
        },
    )


def _staff_history_formats(may_see_full_id: bool) -> dict:
    """The ID masked for everyone (the reveal is the page's button, and is recorded);
    the birth date, which is the masked digits, as its year for those who may not see
    the full ID."""
    formats = {"resident_id": mask}
    if not may_see_full_id:
        formats["birth_date"] = lambda born: str(born.year)
    return formats


@login_required
@require_GET
def id_reveals(request):
    """The office's own list: who saw or exported full resident IDs in its townships."""
    access.require_office(request.user)
    page = selectors.full_id_views_of_townships(request.user, page=request.GET.get("page"))
    return render(
        request,
        "schools/id_reveals.html",
        {"page": page, "show_township": access.townships_managed(request.user)[1:2].exists()},
    )


# --- locked logins (issue 14) ------------------------------------------------------------

LOGIN_NAME_MAX = 255  # django-axes' username column; a login's own is at most 150


@login_required
@require_GET
def lockouts(request):
    """The office's locked logins (django-axes), each with an unlock button, and the
    latest unlocks."""
    access.require_office(request.user)
    return render(request, "schools/lockouts.html", {
        "lockouts": selectors.lockouts(request.user),
        "unlocks": selectors.unlocks(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def lockout_unlock(request, username):
    """GET asks to confirm; POST unlocks and goes back to the list with a message. A
    second POST (a double click) finds nothing left to unlock and says so."""
    access.require_office(request.user)
    if "\x00" in username or len(username) > LOGIN_NAME_MAX:
        raise Http404("No such login.")  # PostgreSQL's text holds no NUL: never a lookup
    if request.method == "POST":
        if services.login_unlock(by=request.user, username=username) is None:
            messages.info(request, _("%(username)s was not locked (any more): nothing to "
                                     "unlock.") % {"username": username})
        else:
            messages.success(request, _("%(username)s is unlocked and may log in again.")
                             % {"username": username})
        return redirect("schools:lockouts")
    lockout = selectors.lockout_of(request.user, username)
    return render(request, "schools/lockout_unlock.html", {"lockout": lockout})


# --- roster import, export and template ------------------------------------------------


@wb.upload_view
@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    access.require_office(request.user)
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:  # the body is never read: the form comes back unbound, with the reason
        form = wb.refuse_upload(RosterUploadForm(user=request.user), too_large)
    else:
        form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if not too_large and form.is_valid():
            uploaded = form.cleaned_data["workbook"]
            try:
                record, result = services.roster_upload(
                    by=request.user, township=form.cleaned_data["township"], uploaded=uploaded
                )
            except wb.WorkbookError as exc:
                form.add_error("workbook", str(exc))
            else:
                if result.ok:
                    messages.success(
                        request,
                        _("“%(name)s” has been checked: review the changes below, then confirm.")
                        % {"name": record.original_name},
                    )
                else:
                    rows = result.plan.summary()["wrong_rows"]
                    messages.warning(
                        request,
                        ngettext(
                            "“%(name)s” has %(rows)d wrong row; nothing will be imported. "
                            "Download it with its error, correct it and upload the file again.",
                            "“%(name)s” has %(rows)d wrong rows; nothing will be imported. "
                            "Download them with their errors, correct them and upload the "
                            "file again.",
                            rows,
                        )
                        % {"name": record.original_name, "rows": rows},
                    )
                return redirect("schools:roster_preview", pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(
        request,
        "schools/roster_import.html",
        {
            "form": form,
            "imports": selectors.roster_imports(request.user),
            "townships": selectors.township_overview(request.user),
        },
    )


@login_required
@require_GET
def roster_preview(request, pk):
    """What the upload would change, or its errors, as checked when it was uploaded
    (kept with it: the file is not read again here; confirming checks it again)."""
    access.require_office(request.user)
    record = services.roster_upload_kept(
        by=request.user, record=selectors.roster_import_get(request.user, pk)
    )
    committed = record.status == RosterImport.Status.COMMITTED
    preview = {} if committed else record.preview
    errors, errors_more = wb.errors_shown(preview)
    background = record.background_state()
    Background = RosterImport.Background
    return render(
        request,
        "schools/roster_preview.html",
        {
            "record": record,
            "committed": committed,
            "summary": record.summary,
            "changes": preview.get("changes", []),
            "changes_more": preview.get("changes_more", 0),
            "errors": errors,
            "errors_more": errors_more,
            "may_confirm": record.status == RosterImport.Status.PREVIEWED
            and background not in (Background.QUEUED, Background.RUNNING),
            "background": background,
            "background_label": Background(background).label if background else "",
            "background_note": _roster_imported_message(record)
            if background == Background.DONE
            else _roster_changed_message() if background == Background.REJECTED else "",
            # Waiting or running: the page reloads itself (a meta refresh: no script).
            "refresh_seconds": 3 if background in (Background.QUEUED, Background.RUNNING)
            else None,
        },
    )


def _roster_imported_message(record: RosterImport) -> str:
    summary = record.summary
    return _(
        "Roster imported into %(township)s. Schools created: %(schools)d; staff "
        "created: %(staff)d; staff updated: %(updated)d."
    ) % {
        "township": record.township.name,
        "schools": summary["schools_created"],
        "staff": summary["staff_created"],
        "updated": summary["staff_updated"],
    }


def _roster_changed_message() -> str:
    return _("The data changed since the preview and the workbook now has errors; "
             "nothing was imported.")


@login_required
@require_POST
def roster_confirm(request, pk):
    access.require_office(request.user)
    record = selectors.roster_import_get(request.user, pk)
    try:
        result = services.roster_upload_confirm(by=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("schools:roster_preview", pk=record.pk)
    if result is None:  # a large roster: its page shows the background task's progress
        messages.info(request, _("“%(name)s” is being imported in the background; this page "
                                 "shows how far it is.") % {"name": record.original_name})
        return redirect("schools:roster_preview", pk=record.pk)
    if not result.ok:
        messages.error(request, _roster_changed_message())
        return redirect("schools:roster_preview", pk=record.pk)
    messages.success(request, _roster_imported_message(record))
    return redirect("schools:roster_import")


@login_required
@require_GET
def roster_errors(request, pk):
    """The rejected rows back as a workbook with an error column, to fix in Excel
    (written at upload, kept with it)."""
    access.require_office(request.user)
    record = services.roster_upload_kept(
        by=request.user, record=selectors.roster_import_get(request.user, pk)
    )
    if record.status == RosterImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or "花名册"
    return wb.xlsx_response(data, f"{stem}-{ERROR_HEADER}.xlsx", fallback="roster-errors.xlsx")


@login_required
@require_GET
def roster_export(request, township_pk):
    access.require_office(request.user)
    township = selectors.township_get(request.user, township_pk)
    buffer = io.BytesIO()
    wb.write_workbook(buffer, roster_sheets(township))
    today = timezone.localdate().isoformat()
    name = f"花名册-{township.name}-{today}.xlsx"
    services.full_id_export_record(
        by=request.user, township=township, export=name,
        rows=selectors.township_staff_count(township),
    )
    return wb.xlsx_response(buffer.getvalue(), name, fallback=f"roster-{today}.xlsx")


@login_required
@require_GET
def roster_template(request):
    access.require_office(request.user)
    return wb.xlsx_response(
        wb.workbook_bytes(template_sheets()), "花名册模板.xlsx", fallback="roster-template.xlsx"
    )

"""Pages of phase 5: the schools' posts (R1) and the staff's intentions (R2).

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see),
finds a school inside the cycle's township (404 otherwise) and the cycle's own rows
through ``posting``'s scoped querysets (404 for a post the login may not see). Every
change is one service call (``selection``): a refusal (``ValidationError``) is shown as
a message and changes nothing; ``PermissionDenied`` is a 403.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access, rules, sheets
from recruitment.forms import posts as posts_forms
from recruitment.selectors import common as common_selectors
from recruitment.selectors import posts as posts_selectors
from recruitment.services import posts as posts_services
from recruitment.views import common as common_views
from schools import access as school_access
from schools import services as school_services
from staffing import workbook as wb
from staffing.history import history_of
from staffing.refusals import refused

from ..models import PostKind

ERROR_HEADER = sheets.ERROR_HEADER


def _nav(viewer: access.Viewer, cycle) -> dict:
    """What the pages' sub-navigation links to for this login."""
    principal_schools = []
    if not viewer.office and viewer.principal_of:
        principal_schools = list(cycle.township.schools.filter(pk__in=viewer.principal_of)
                                 .order_by("name"))
    return {
        "office": viewer.office,
        "own_staff": viewer.staff,
        "overseen": bool(viewer.overseen),
        "principal_schools": principal_schools,
    }


# --- the posts board -----------------------------------------------------------------


@login_required
@require_GET
def posts(request, pk):
    """Every published post of the township, for every staff member; the office and the
    schools' leaders also see the unpublished ones of the schools they oversee, and the
    office each school's seats against its quota."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    viewer = access.viewer_of(user, cycle)
    visible = access.posts_visible(viewer, cycle)
    form = posts_forms.PostFilterForm(
        request.GET, cycle=cycle, subjects=posts_selectors.subjects_of(visible)
    )
    filters = form.filters()
    found = posts_selectors.posts_filtered(visible, school=filters.get("school"),
                                   kind=filters.get("kind", ""),
                                   subject=filters.get("subject", ""),
                                   query=filters.get("q", ""))
    context = {
        "cycle": cycle,
        "here": "posts",
        "phase": posts_selectors.intentions_phase(cycle),
        "filter_form": form,
        "filtered": bool(filters),
        "page": common_selectors.page_of(
            found, request.GET.get("page"), posts_selectors.POSTS_PER_PAGE
        ),
        **_nav(viewer, cycle),
    }
    if viewer.overseen:
        context["school_rows"] = posts_selectors.school_post_rows(cycle, viewer.overseen)
        context["change_refusal"] = posts_selectors.posts_change_refusal(cycle)
    return render(request, "recruitment/posts/board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request, pk, post_pk):
    """One post, its change history and, for its school's principal and the office while
    it is unpublished, the form that changes it."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    viewer = access.viewer_of(user, cycle)
    post = access.post_get(viewer, cycle, post_pk)
    editor = viewer.may_edit_posts(post.school)
    refusal = posts_selectors.post_change_check(cycle, post)
    form = None
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        form = posts_forms.PostForm(request.POST)
        if form.is_valid():
            try:
                posts_services.post_save(by=user, cycle=cycle, school=post.school,
                                    fields=form.fields_value(), post=post)
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(request, _("Post %(n)d of %(school)s has been saved.")
                                 % {"n": form.cleaned_data["number"],
                                    "school": post.school.name})
                return redirect("recruitment:post_detail", pk=cycle.pk, post_pk=post.pk)
        else:
            messages.error(request, _("The post was not saved; see the reasons below."))
    elif editor and refusal is None:
        form = posts_forms.PostForm(
            initial=posts_forms.PostForm.initial_from(rules.post_fields_of(post))
        )
    return render(request, "recruitment/posts/post.html", {
        "cycle": cycle,
        "post": post,
        "editor": editor,
        "refusal": refusal,
        "form": form,
        "history": history_of(post),
        **_nav(viewer, cycle),
    })


@login_required
@require_POST
def post_delete(request, pk, post_pk):
    user = request.user
    cycle = access.cycle_get(user, pk)
    viewer = access.viewer_of(user, cycle)
    post = access.post_get(viewer, cycle, post_pk)
    if not viewer.may_edit_posts(post.school):
        raise PermissionDenied
    try:
        posts_services.post_delete(by=user, cycle=cycle, post=post)
    except ValidationError as exc:
        refused(request, exc)
        return redirect("recruitment:post_detail", pk=cycle.pk, post_pk=post.pk)
    messages.success(request, _("Post %(n)d of %(school)s has been removed.")
                     % {"n": post.number, "school": post.school.name})
    return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=post.school_id)


# --- one school's posts: the list, the form, the import --------------------------------


def _school(request, pk, school_pk, *, edit: bool):
    """The cycle, one of its township's schools and the login, for those who may see
    (``edit``: change) the school's posts; 404 outside the township, 403 for anyone
    else."""
    cycle = access.cycle_get(request.user, pk)
    school = access.school_of_cycle(cycle, school_pk)
    viewer = access.viewer_of(request.user, cycle)
    allowed = viewer.may_edit_posts if edit else viewer.may_see_school_posts
    if not allowed(school):
        raise PermissionDenied
    return cycle, school, viewer


@login_required
@require_http_methods(["GET", "POST"])
def school_posts(request, pk, school_pk):
    """A school's posts against its quota, with the form adding one and the import of
    the 岗位 sheet (its principal and the office); its liaison reads them."""
    user = request.user
    cycle, school, viewer = _school(request, pk, school_pk, edit=request.method == "POST")
    form = None
    if request.method == "POST":
        form = posts_forms.PostForm(request.POST)
        if form.is_valid():
            try:
                post = posts_services.post_save(by=user, cycle=cycle, school=school,
                                           fields=form.fields_value())
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(request, _("Post %(n)d of %(school)s has been added.")
                                 % {"n": post.number, "school": school.name})
                return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=school.pk)
        else:
            messages.error(request, _("The post was not added; see the reasons below."))
    return _school_posts_page(request, cycle, school, viewer, post_form=form)


def _school_posts_page(request, cycle, school, viewer, *, post_form=None, upload_form=None):
    editor = viewer.may_edit_posts(school)
    refusal = posts_selectors.posts_change_refusal(cycle)
    all_posts = posts_selectors.school_posts(cycle, school)
    unpublished = all_posts.filter(published_at__isnull=True).count()
    quota = posts_selectors.post_quota(cycle, school)
    seats = posts_selectors.seats_set(cycle, school)
    if editor and refusal is None:
        post_form = post_form or posts_forms.PostForm(
            initial={
                "number": posts_selectors.next_post_number(cycle, school),
                "kind": PostKind.TEACHING,
            }
        )
        upload_form = upload_form or posts_forms.PostsUploadForm()
    else:
        post_form = upload_form = None
    return render(request, "recruitment/posts/school.html", {
        "cycle": cycle,
        "school": school,
        "here": "school",
        "editor": editor,
        "refusal": refusal,
        "page": common_selectors.page_of(all_posts, request.GET.get("page"),
                                posts_selectors.SCHOOL_POSTS_PER_PAGE),
        "quota": quota,
        "seats": seats,
        "remaining": quota - seats,
        "unpublished": unpublished,
        "publish_refusal": posts_selectors.publish_refusal(cycle, school, unpublished=unpublished),
        "post_form": post_form,
        "upload_form": upload_form,
        **_nav(viewer, cycle),
    })


@login_required
@require_GET
def posts_template(request, pk):
    """The empty 岗位 sheet (headers, required ones marked)."""
    access.cycle_get(request.user, pk)
    return wb.xlsx_response(wb.workbook_bytes(sheets.posts_template_sheets()), "岗位模板.xlsx",
                            fallback="posts-template.xlsx")


@wb.upload_view
@login_required
@require_POST
def posts_upload(request, pk, school_pk):
    """Check an uploaded 岗位 sheet (a dry run) and keep it, with its preview, for the
    preview page. An upload over the size limit is refused before it is read."""
    user = request.user
    cycle, school, viewer = _school(request, pk, school_pk, edit=True)
    too_large = wb.request_too_large(request)
    if too_large:  # the body is never read: the form comes back unbound, with the reason
        form = wb.refuse_upload(posts_forms.PostsUploadForm(), too_large)
    else:
        form = posts_forms.PostsUploadForm(request.POST, request.FILES)
    if not too_large and form.is_valid():
        try:
            data = wb.read_upload(form.cleaned_data["workbook"])
            result = posts_services.posts_import(by=user, cycle=cycle, school=school, data=data,
                                            dry_run=True)
        except wb.WorkbookError as exc:
            form.add_error("workbook", str(exc))
        except ValidationError as exc:
            refused(request, exc)
            return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=school.pk)
        else:
            token = posts_services.posts_upload_keep(cycle=cycle, school=school, data=data,
                                              result=result)
            if result.errors:
                rows = len({error.row for error in result.errors})
                messages.warning(request, ngettext(
                    "The sheet has errors in %(rows)d row; nothing will be imported. Download "
                    "it with its errors, correct it and upload the file again.",
                    "The sheet has errors in %(rows)d rows; nothing will be imported. Download "
                    "them with their errors, correct them and upload the file again.",
                    rows) % {"rows": rows})
            else:
                messages.success(request, _("The sheet has been checked: review the posts "
                                            "below, then confirm."))
            return redirect("recruitment:posts_import_preview", pk=cycle.pk,
                            school_pk=school.pk, token=token)
    messages.error(request, _("The file was not uploaded; see the reason below."))
    return _school_posts_page(request, cycle, school, viewer, upload_form=form)


@login_required
@require_GET
def posts_import_preview(request, pk, school_pk, token):
    """What the kept sheet would create and change, or its errors: the rows and errors
    as checked at upload (kept with it: the sheet is not read again here), compared
    with the school's posts as they are now; confirming checks it all again."""
    cycle, school, viewer = _school(request, pk, school_pk, edit=True)
    refusal = posts_selectors.posts_change_refusal(cycle)
    if refusal:
        messages.error(request, capfirst(refusal))
        return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=school.pk)
    preview = posts_services.posts_upload_preview(cycle, school, token)
    errors, errors_more = wb.errors_shown(preview)
    return render(request, "recruitment/posts/import_preview.html", {
        "cycle": cycle,
        "school": school,
        "token": token,
        "preview": preview,
        "rows": posts_selectors.import_rows(cycle, school, preview["rows"]),
        "errors": errors,
        "errors_more": errors_more,
        "quota": posts_selectors.post_quota(cycle, school),
        **_nav(viewer, cycle),
    })


@login_required
@require_POST
def posts_import_confirm(request, pk, school_pk, token):
    user = request.user
    cycle, school, _viewer = _school(request, pk, school_pk, edit=True)
    data = posts_services.posts_upload_read(cycle, school, token)
    back = redirect("recruitment:posts_import_preview", pk=cycle.pk, school_pk=school.pk,
                    token=token)
    try:
        result = posts_services.posts_import(by=user, cycle=cycle, school=school, data=data)
    except ValidationError as exc:
        refused(request, exc)
        return back
    except IntegrityError:
        # A post of the same number was saved at the same moment: nothing was written.
        messages.error(request, _("The school's posts changed while importing; nothing was "
                                  "imported. Check the preview again."))
        return back
    if result.errors:
        messages.error(request, _("The school's posts changed since the preview and the sheet "
                                  "now has errors; nothing was imported."))
        return back
    posts_services.posts_upload_discard(cycle, school, token)
    messages.success(request, _("Posts imported into %(school)s: %(created)d added, "
                                "%(updated)d changed.")
                     % {"school": school.name, "created": result.created,
                        "updated": result.updated})
    return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=school.pk)


@login_required
@require_GET
def posts_import_errors(request, pk, school_pk, token):
    """The kept sheet's rows back with an error column, to fix in Excel (written at
    upload, kept with it)."""
    cycle, school, _viewer = _school(request, pk, school_pk, edit=True)
    data = posts_services.posts_upload_errors(cycle, school, token)
    return wb.xlsx_response(data, f"岗位-{school.name}-{ERROR_HEADER}.xlsx",
                            fallback="posts-errors.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def posts_publish(request, pk, school_pk):
    """The office publishes a school's posts to the whole township, after a
    confirmation listing them."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    school = access.school_of_cycle(cycle, school_pk)
    viewer = access.viewer_of(user, cycle)
    if not viewer.office:
        raise PermissionDenied
    if request.method == "POST":
        try:
            count = posts_services.posts_publish(by=user, cycle=cycle, school=school)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, ngettext(
                "%(count)d post of %(school)s published: every staff member of the township "
                "sees it now.",
                "%(count)d posts of %(school)s published: every staff member of the township "
                "sees them now.", count) % {"count": count, "school": school.name})
        return redirect("recruitment:school_posts", pk=cycle.pk, school_pk=school.pk)
    unpublished = list(
        posts_selectors.school_posts(cycle, school).filter(published_at__isnull=True)
    )
    return render(request, "recruitment/posts/publish.html", {
        "cycle": cycle,
        "school": school,
        "unpublished": unpublished,
        "refusal": posts_selectors.publish_refusal(cycle, school, unpublished=len(unpublished)),
        "quota": posts_selectors.post_quota(cycle, school),
        "seats": posts_selectors.seats_set(cycle, school),
        **_nav(viewer, cycle),
    })


# --- the staff member's intention ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intention(request, pk):
    """A staff member's ranked choices (R2), changed as often as they like until phase 5
    closes; what they submitted last, and their status as teaching or support staff."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    viewer = access.viewer_of(user, cycle)
    staff = viewer.staff
    phase = posts_selectors.intentions_phase(cycle)
    refusal = posts_selectors.intention_refusal(cycle, phase)
    plan = cycle.adopted_revision
    context = {"cycle": cycle, "here": "intention", "phase": phase, "refusal": refusal,
               "staff": staff, "plan": plan, **_nav(viewer, cycle)}
    if staff is None or plan is None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "recruitment/posts/intention.html", context)
    current = posts_selectors.intention_of(cycle, staff)
    schools = posts_selectors.intention_schools(cycle, staff)
    if request.method == "POST":
        form = posts_forms.IntentionForm(request.POST, cycle=cycle, slots=plan.max_applications,
                             schools=schools)
        if form.action == posts_forms.IntentionForm.SHOW:
            form.show()
        elif form.is_valid():
            try:
                saved = posts_services.intention_submit(
                    by=user, cycle=cycle, choices=form.choices()
                )
            except ValidationError as exc:
                form.errors = [capfirst(m) for m in exc.messages]
                messages.error(request, _("Your intention was not saved; see the reasons below."))
            else:
                messages.success(request, _(
                    "Your intention has been submitted at %(when)s. You may change it until "
                    "the deadline, %(deadline)s.") % {
                        "when": common_views.when(saved.submitted_at),
                        "deadline": phase.deadline.isoformat()})
                return redirect("recruitment:intention", pk=cycle.pk)
        else:
            # Every other reason too, not only the choice to look at again.
            form.errors = [capfirst(m) for m in
                           posts_selectors.intention_problems(cycle, form.choices())]
            messages.error(request, _("Your intention was not saved; see the reasons below."))
    else:
        form = posts_forms.IntentionForm(cycle=cycle, slots=plan.max_applications, schools=schools,
                             initial=_initial_slots(current, staff, schools))
    _fill_options(cycle, form)
    context.update(
        form=form,
        schools=schools,
        intention=current,
        choices=posts_selectors.choices_shown(plan, current),
        history=history_of(current) if current else [],
    )
    return render(request, "recruitment/posts/intention.html", context)


def _initial_slots(current, staff, schools) -> list[posts_forms.Slot]:
    """The choices submitted last; for a first intention, the staff member's own school
    (when it has published posts), its posts shown."""
    if current is not None:
        return [posts_forms.Slot(app.rank, app.school, app.school, app.teaching_post,
                     list(app.auxiliary_posts.all()))
                for app in current.applications.all()]
    own = next((school for school in schools if school.pk == staff.school_id), None)
    return [posts_forms.Slot(1, own, own)] if own else []


def _fill_options(cycle, form: posts_forms.IntentionForm) -> None:
    """Each choice's published posts of its school to choose from, in one query."""
    found = posts_selectors.choosable_posts(cycle, form.school_ids)
    for slot in form.slots:
        options = found.get(slot.school.pk, []) if slot.posts_shown else []
        slot.teaching_options = [p for p in options if p.kind == PostKind.TEACHING]
        slot.auxiliary_options = [p for p in options if p.kind == PostKind.AUXILIARY]


@login_required
@require_GET
def intention_print(request, pk):
    """The post-intention form (岗位意向书) to print and sign."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    staff = access.own_staff(user, cycle)
    if staff is None:
        raise PermissionDenied
    current = posts_selectors.intention_of(cycle, staff)
    if current is None:
        messages.info(request, _("You have not submitted an intention yet: there is nothing "
                                 "to print."))
        return redirect("recruitment:intention", pk=cycle.pk)
    plan = cycle.adopted_revision
    return render(request, "recruitment/posts/intention_print.html", {
        "cycle": cycle,
        "staff": staff,
        "intention": current,
        "plan": plan,
        "choices": posts_selectors.choices_shown(plan, current),
        "printed_on": timezone.localdate(),
    })


# --- the intentions of the office's and the schools' -----------------------------------


def _intentions(request, pk):
    user = request.user
    cycle = access.cycle_get(user, pk)
    viewer = access.viewer_of(user, cycle)
    if not viewer.overseen:
        raise PermissionDenied
    form = posts_forms.IntentionFilterForm(request.GET, school_ids=viewer.overseen)
    filters = form.filters()
    found = posts_selectors.intentions_filtered(
        user, access.intentions_visible(viewer, cycle), school=filters.get("school"),
        support=filters.get("support", ""), query=filters.get("q", ""))
    return cycle, viewer, form, filters, posts_selectors.intentions_listed(found)


@login_required
@require_GET
def intentions(request, pk):
    """Who applied where: every intention for the office; for a principal or liaison,
    their schools' staff and those applying at their schools."""
    cycle, viewer, form, filters, found = _intentions(request, pk)
    page = common_selectors.page_of(
        found, request.GET.get("page"), posts_selectors.INTENTIONS_PER_PAGE
    )
    context = {
        "cycle": cycle,
        "here": "intentions",
        "filter_form": form,
        "filtered": bool(filters),
        "page": page,
        "rows": posts_selectors.intention_rows(page, viewer),
        "phase": posts_selectors.intentions_phase(cycle),
        "export_query": request.GET.urlencode(),
        **_nav(viewer, cycle),
    }
    if viewer.office:
        context.update(submitted=cycle.intentions.count(),
                       staff_count=posts_selectors.township_staff_count(cycle))
    return render(request, "recruitment/posts/intentions.html", context)


@login_required
@require_GET
def intentions_export(request, pk):
    """The list as filtered, as sheet 意向 (one line per ranked choice)."""
    cycle, viewer, _form, _filters, found = _intentions(request, pk)
    rows = posts_selectors.intention_rows(found, viewer)
    full_ids = school_access.may_see_full_ids_of(request.user, cycle.township_id)
    sheet = posts_selectors.intentions_sheet(request.user, cycle, rows, full_ids=full_ids)
    buffer = io.BytesIO()
    wb.write_workbook(buffer, [sheet])
    name = f"意向-{cycle.township.name}-{cycle.school_year}.xlsx"
    if full_ids:
        school_services.full_id_export_record(by=request.user, township=cycle.township,
                                              export=name, rows=len(sheet.rows))
    today = timezone.localdate().isoformat()
    return wb.xlsx_response(buffer.getvalue(), name, fallback=f"intentions-{today}.xlsx")


urlpatterns = [
    path("<int:pk>/posts/", posts, name="posts"),
    path("<int:pk>/posts/<int:post_pk>/", post_detail, name="post_detail"),
    path("<int:pk>/posts/<int:post_pk>/delete/", post_delete, name="post_delete"),
    path("<int:pk>/posts/template.xlsx", posts_template, name="posts_template"),
    path("<int:pk>/schools/<int:school_pk>/posts/", school_posts, name="school_posts"),
    path("<int:pk>/schools/<int:school_pk>/posts/upload/", posts_upload, name="posts_upload"),
    path("<int:pk>/schools/<int:school_pk>/posts/import/<str:token>/", posts_import_preview,
         name="posts_import_preview"),
    path("<int:pk>/schools/<int:school_pk>/posts/import/<str:token>/confirm/",
         posts_import_confirm, name="posts_import_confirm"),
    path("<int:pk>/schools/<int:school_pk>/posts/import/<str:token>/errors.xlsx",
         posts_import_errors, name="posts_import_errors"),
    path("<int:pk>/schools/<int:school_pk>/posts/publish/", posts_publish,
         name="posts_publish"),
    path("<int:pk>/intention/", intention, name="intention"),
    path("<int:pk>/intention/print/", intention_print, name="intention_print"),
    path("<int:pk>/intentions/", intentions, name="intentions"),
    path("<int:pk>/intentions/export.xlsx", intentions_export, name="intentions_export"),
]

"""The cycle's outcome with its charts and workbook, and each staff member's own result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from recruitment import access
from recruitment.models import PhaseState
from recruitment.phases import UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.views import common as common_views
from schools import services as school_services
from staffing import workbook as wb
from staffing.charts import Series, grouped_bars


def _outcome_for(request, cycle):
    """The outcome as this login sees it (403 for a login with no school to see)."""
    context = common_views.step2_context(request, cycle, "outcome")
    if not (context["office"] or context["leader"]):
        raise PermissionDenied
    schools = access.outcome_schools(request.user, cycle, office=context["office"])
    return context, outcome_selectors.outcome(cycle, schools=schools)


def _charts(row, where: str) -> list:
    """The age and subject structure of one row, before and after, as inline SVG."""
    before, after = _("Before"), _("After")
    subjects = sorted(set(row.subjects_before) | set(row.subjects_after),
                      key=lambda s: (-(row.subjects_before[s] + row.subjects_after[s]), s))
    return [
        grouped_bars(
            outcome_selectors.AGE_BANDS,
            [Series(before, row.ages_before), Series(after, row.ages_after)],
            title=_("Age structure, %(where)s") % {"where": where},
        ),
        grouped_bars(
            subjects,
            [Series(before, row.subjects_before), Series(after, row.subjects_after)],
            title=_("Subjects, %(where)s") % {"where": where},
            width=max(560, 44 + 64 * len(subjects)),
        ),
    ]


@login_required
@require_GET
def outcome_page(request, pk):
    """Per school and for the township: posts filled, own staff kept, moves, cadres,
    the unhired, and the age and subject structure before and after."""
    cycle = access.cycle_get(request.user, pk)
    context, result = _outcome_for(request, cycle)
    charts = [(_("the township"), _charts(result.township, _("the township")))]
    chosen = request.GET.get("school", "")
    for row in result.schools:
        if not context["office"] or str(row.school.pk) == chosen:
            charts.append((row.school.name, _charts(row, row.school.name)))
    context.update(result=result, charts=charts, chosen=chosen,
                   final=common_selectors.phase_of(cycle, UNHIRED).state == PhaseState.CLOSED)
    return render(request, "recruitment/allocation/outcome.html", context)


@login_required
@require_GET
def outcome_export(request, pk):
    """The outcome as a workbook: sheets 结果 (per school, then the township) and 人员."""
    cycle = access.cycle_get(request.user, pk)
    context, result = _outcome_for(request, cycle)
    sheets = outcome_selectors.outcome_export_sheets(result, full_ids=context["office"])
    data = wb.workbook_bytes(sheets)
    name = f"竞聘结果-{cycle.township.name}-{cycle.school_year}.xlsx"
    if context["office"]:
        people = next(sheet for sheet in sheets if "身份证号" in sheet.headers)
        school_services.full_id_export_record(by=request.user, township=cycle.township,
                                              export=name, rows=len(people.rows))
    return wb.xlsx_response(data, name, fallback=f"outcome-{cycle.school_year}.xlsx")


@login_required
@require_GET
def my_result(request, pk):
    """A staff member's own result, and only their own."""
    cycle = access.cycle_get(request.user, pk)
    staff = access.own_staff(request.user, cycle)
    context = common_views.step2_context(request, cycle, "my_result", staff=staff)
    if staff is not None:
        context["own"] = outcome_selectors.own_result(cycle, staff)
    return render(request, "recruitment/allocation/my_result.html", context)


urlpatterns = [
    path("<int:pk>/outcome/", outcome_page, name="outcome"),
    path("<int:pk>/xlsx", outcome_export, name="outcome_export"),
    path("<int:pk>/my-result/", my_result, name="my_result"),
]

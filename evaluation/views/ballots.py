"""The pages of duty reports (述职) and democratic evaluation (民主测评): rounds, reports, the
secret ballot, results and the composite rating.

- the office: its township's rounds with their turnout, which school held its round in
  each term, the leaders' round (people, voters, guests, open, close), the results, the
  work-assessment scores, the composite, the publication and the export; the weights;
- a principal: the same for its school's round;
- a voter (on a phone): the ballot, one form for everyone of the round, and the reports;
- the person assessed: their report, their published result and an objection to it.

No page shows a count before the round is closed, and none shows a voter beside a
choice: the choices exist only as counts."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import ballots as forms
from evaluation.models import Rating, RoundState
from evaluation.selectors import ballots as selectors
from evaluation.services import ballots as services
from staffing import publication
from staffing import workbook as wb
from staffing.history import history_of
from staffing.ids import parse_id
from staffing.models import Objection


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _back(ballot_round):
    return redirect("evaluation:ballots_round", round_pk=ballot_round.pk)


def _term_initial() -> dict:
    year, term = rules.term_of(timezone.localdate())
    return {"school_year": year, "term": term}


def _create(request, township, school, back):
    form = forms.RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was created; correct the fields marked."))
        return back
    try:
        ballot_round = services.round_create(by=request.user, township=township, school=school,
                                             **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
        return back
    messages.success(request, _("The round “%(title)s” is prepared: check its people and "
                                "voters, then open it.") % {"title": ballot_round.title})
    return _back(ballot_round)


# ---- the office and the principal: their rounds ----------------------------------------------


@login_required
@require_GET
def office_rounds(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    terms = selectors.recent_terms(timezone.localdate())
    return render(request, "evaluation/ballots/office.html", {
        "township": township, "page": selectors.township_rounds(township, request.GET.get("page")),
        "terms": terms, "board": selectors.term_board(township, terms),
        "form": forms.RoundForm(initial=_term_initial()),
        "weights": selectors.weights_of(township)})


@login_required
@require_POST
def office_create(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    return _create(request, township, None,
                   redirect("evaluation:ballots_office", township_pk=township.pk))


@login_required
@require_GET
def school_rounds(request, school_pk):
    school = access.school_of_principal(request.user, school_pk)
    return render(request, "evaluation/ballots/school.html", {
        "school": school, "rounds": selectors.school_rounds(school),
        "form": forms.RoundForm(initial=_term_initial())})


@login_required
@require_POST
def school_create(request, school_pk):
    school = access.school_of_principal(request.user, school_pk)
    return _create(request, school.township, school,
                   redirect("evaluation:ballots_school", school_pk=school.pk))


@login_required
@require_http_methods(["GET", "POST"])
def weights(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    evaluation, assessment = selectors.weights_of(township)
    form = forms.WeightsForm(request.POST or None,
                             initial={"evaluation": evaluation, "assessment": assessment})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.weights_save(by=request.user, township=township, **form.cleaned_data)
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The weights of the composite rating are saved."))
                return redirect("evaluation:ballots_office", township_pk=township.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    current = selectors.weights_record(township)
    return render(request, "evaluation/ballots/weights.html", {
        "township": township, "form": form,
        "history": history_of(current) if current else []})


# ---- one round, for its organiser -------------------------------------------------------------


@login_required
@require_GET
def round_page(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    voted, invited = selectors.turnout(ballot_round)
    pub = selectors.round_publication(ballot_round)
    results = selectors.results_of(ballot_round)
    people = [row.assessee for row in results] if results is not None else \
        selectors.people_of(ballot_round)
    today = timezone.localdate()
    standing = publication.standing_count(pub) if pub else 0
    return render(request, "evaluation/ballots/round.html", {
        "round": ballot_round, "voted": voted, "invited": invited,
        "people": people, "results": results, "ratings": Rating.labels,
        "voters": selectors.voters_page(ballot_round, request.GET.get("page")),
        "weights": selectors.weights_of(ballot_round.township),
        "edit_refusal": services.round_edit_refusal(ballot_round),
        "invite_refusal": services.invite_refusal(ballot_round),
        "open_refusal": services.round_open_refusal(ballot_round, len(people), invited),
        "close_refusal": services.round_close_refusal(ballot_round),
        "invite_form": forms.InviteForm(), "guest_form": forms.GuestForm(),
        "scores_refusal": services.scores_refusal(ballot_round, pub),
        "pub": pub, "window_open": publication.window_open(pub, today),
        "events": list(publication.events_of(pub)) if pub else [],
        "objections": list(publication.objections_of(pub)) if pub else [],
        "publish_refusal": services.results_publish_refusal(ballot_round, pub),
        "lock_refusal": publication.lock_refusal(pub, today, standing),
        "reopen_refusal": publication.reopen_refusal(pub),
        "answer_form": forms.AnswerForm(), "history": history_of(ballot_round)})


@login_required
@require_POST
def person_remove(request, round_pk, pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    assessee = get_object_or_404(ballot_round.assessees.select_related("staff"),
                                 pk=parse_id(str(pk)))
    try:
        services.assessee_remove(by=request.user, assessee=assessee)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer assessed in this round.") % {
            "name": assessee.staff.name})
    return _back(ballot_round)


@login_required
@require_POST
def voter_invite(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the login name of the voter."))
        return _back(ballot_round)
    try:
        services.voter_invite(by=request.user, ballot_round=ballot_round,
                              username=form.cleaned_data["username"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is invited to vote.") % {
            "name": form.cleaned_data["username"]})
    return _back(ballot_round)


@login_required
@require_POST
def guest_create(request, round_pk):
    """The guest's password is shown on this response only, never stored in clear nor
    put in a message (which a cookie could keep)."""
    ballot_round = access.round_of_organiser(request.user, round_pk)
    form = forms.GuestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the guest's login name and name."))
        return _back(ballot_round)
    try:
        invitation, password = services.guest_create(by=request.user, ballot_round=ballot_round,
                                                     **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
        return _back(ballot_round)
    response = render(request, "evaluation/ballots/guest.html", {
        "round": ballot_round, "invitation": invitation, "password": password})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def voter_remove(request, round_pk, pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    invitation = get_object_or_404(ballot_round.invitations.select_related("user"),
                                   pk=parse_id(str(pk)))
    try:
        services.voter_remove(by=request.user, invitation=invitation)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer a voter of this round.") % {
            "name": invitation.user.get_username()})
    return _back(ballot_round)


def _confirm(request, round_pk, *, action, refusal_of, service, done):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    voted, invited = selectors.turnout(ballot_round)
    refusal = refusal_of(ballot_round, len(selectors.people_of(ballot_round)), invited)
    if request.method == "POST":
        try:
            if refusal:
                raise ValidationError(refusal)
            service(by=request.user, ballot_round=ballot_round)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, done)
        return _back(ballot_round)
    return render(request, "evaluation/ballots/confirm.html", {
        "round": ballot_round, "action": action, "refusal": refusal,
        "voted": voted, "invited": invited})


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, round_pk):
    return _confirm(request, round_pk, action="open",
                    refusal_of=services.round_open_refusal, service=services.round_open,
                    done=_("Voting is open: the voters see the ballot on their home page."))


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request, round_pk):
    return _confirm(request, round_pk, action="close",
                    refusal_of=lambda r, _p, _i: services.round_close_refusal(r),
                    service=services.round_close,
                    done=_("Voting is closed: the counts are shown below."))


@login_required
@require_POST
def scores_save(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    form = forms.ScoresForm(request.POST, people=selectors.people_of(ballot_round))
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: a work-assessment score is from 0 to "
                                  "100, with at most two decimals."))
        return _back(ballot_round)
    try:
        count = services.scores_save(by=request.user, ballot_round=ballot_round,
                                     scores=form.scores())
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(n)d work-assessment scores saved.") % {"n": count})
    return _back(ballot_round)


@login_required
@require_POST
def results_publish(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    try:
        pub = services.results_publish(by=request.user, ballot_round=ballot_round)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The results are published: objections until %(day)s.") % {
            "day": pub.window_closes.isoformat()})
    return _back(ballot_round)


def _pub_of(ballot_round):
    pub = selectors.round_publication(ballot_round)
    if pub is None:
        raise Http404("Not published.")
    return pub


@login_required
@require_POST
def results_lock(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    try:
        services.results_lock(by=request.user, pub=_pub_of(ballot_round))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The results are locked."))
    return _back(ballot_round)


@login_required
@require_http_methods(["GET", "POST"])
def results_reopen(request, round_pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    pub = _pub_of(ballot_round)
    refusal = publication.reopen_refusal(pub)
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.results_reopen(by=request.user, pub=pub, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The results are reopened: the scores may change again."))
        return _back(ballot_round)
    return render(request, "evaluation/ballots/reopen.html", {
        "round": ballot_round, "form": form, "refusal": refusal})


@login_required
@require_POST
def objection_answer(request, round_pk, pk):
    ballot_round = access.round_of_organiser(request.user, round_pk)
    pub = _pub_of(ballot_round)
    objection = get_object_or_404(Objection.objects.select_related("staff"),
                                  publication=pub, pk=parse_id(str(pk)))
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an answer."))
        return _back(ballot_round)
    try:
        services.objection_answer(by=request.user, objection=objection, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s's objection is answered.") % {
            "name": objection.staff.name})
    return _back(ballot_round)


EXPORT_HEADERS = ["学校", "姓名", "职务", "优秀", "称职", "基本称职", "不称职", "票数", "测评分",
                  "考核分", "综合分", "等次"]


@login_required
@require_GET
def results_export(request, round_pk):
    """The counts per person per rating (never a voter), and the composite."""
    ballot_round = access.round_of_organiser(request.user, round_pk)
    results = selectors.results_of(ballot_round)
    if results is None:
        raise PermissionDenied
    rows = [[r.assessee.staff.school.name, r.assessee.staff.name, r.assessee.position,
             *r.counts, r.votes, r.evaluation, r.assessee.assessment_score, r.composite,
             r.band_label] for r in results]
    buffer = io.BytesIO()
    wb.write_workbook(buffer, [wb.SheetSpec("测评结果", EXPORT_HEADERS, rows)])
    return wb.xlsx_response(buffer.getvalue(), f"测评结果-{ballot_round.title}.xlsx",
                            fallback=f"ballot-{ballot_round.pk}.xlsx")


# ---- a voter -----------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    staff = access.own_staff(request.user)
    return render(request, "evaluation/ballots/mine.html", {
        "rounds": selectors.my_rounds(request.user),
        "assessed": selectors.my_assessments(staff)})


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, round_pk):
    ballot_round = access.round_of_voter(request.user, round_pk)
    voted = selectors.has_voted(request.user, ballot_round)
    refusal = services.ballot_refusal(ballot_round, invited=True, voted=voted)
    people = selectors.ballot_people(ballot_round)
    form = forms.BallotForm(request.POST or None, people=people)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("evaluation:ballots_vote", round_pk=ballot_round.pk)
        if form.is_valid():
            try:
                services.ballot_cast(by=request.user, ballot_round=ballot_round,
                                     ratings=form.ratings())
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Your ballot is cast. Thank you."))
            return redirect("evaluation:ballots_vote", round_pk=ballot_round.pk)
        messages.error(request, _("Nothing was sent: rate every person and confirm."))
    return render(request, "evaluation/ballots/vote.html", {
        "round": ballot_round, "voted": voted, "refusal": refusal, "form": form})


@login_required
@require_GET
def reports(request, round_pk):
    ballot_round = access.round_of_reader(request.user, round_pk)
    return render(request, "evaluation/ballots/reports.html", {
        "round": ballot_round, "people": selectors.people_of(ballot_round)})


@login_required
@require_GET
def report_file(request, pk):
    """A duty report's file, to those who may read the round's reports only."""
    assessee = access.report_of(request.user, pk)
    if not assessee.report_file:
        raise Http404("No file.")
    kind = assessee.report_file.name.rsplit(".", 1)[-1]
    response = FileResponse(assessee.report_file.open("rb"), as_attachment=True,
                            filename=assessee.report_name or f"report.{kind}",
                            content_type=rules.REPORT_CONTENT_TYPES.get(kind,
                                                                        "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the person assessed ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_report(request, pk):
    assessee = access.own_assessment(request.user, pk)
    refusal = services.report_refusal(assessee)
    text_form = forms.ReportTextForm(initial={"text": assessee.report_text})
    file_form = forms.ReportFileForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "text":
                text_form = forms.ReportTextForm(request.POST)
                if not text_form.is_valid():
                    raise ValidationError(_("Write the report before saving it."))
                services.report_write(by=request.user, assessee=assessee,
                                      text=text_form.cleaned_data["text"])
                messages.success(request, _("Your duty report is saved."))
            elif action == "file":
                file_form = forms.ReportFileForm(request.POST, request.FILES)
                if not file_form.is_valid():
                    raise ValidationError(_("Choose a PDF or Word file."))
                uploaded = file_form.cleaned_data["file"]
                limit = selectors.ballot_setting("BALLOT_REPORT_MAX_BYTES")
                data = uploaded.read(limit + 1)
                services.report_upload(by=request.user, assessee=assessee,
                                       name=uploaded.name, data=data)
                messages.success(request, _("Your report file is uploaded."))
            elif action == "object":
                form = forms.ObjectionForm(request.POST)
                pub = _pub_of(assessee.round)
                if not form.is_valid():
                    raise ValidationError(_("Give a reason for the objection."))
                services.result_object(by=request.user, assessee=assessee, pub=pub,
                                       reason=form.cleaned_data["reason"])
                messages.success(request, _("Your objection is sent to the organiser."))
            else:
                raise ValidationError(_("Nothing was done."))
        except ValidationError as exc:
            _error(request, exc)
        return redirect("evaluation:ballots_my_report", pk=assessee.pk)
    pub = selectors.round_publication(assessee.round)
    result = selectors.result_of(assessee) if pub else None
    return render(request, "evaluation/ballots/my_report.html", {
        "assessee": assessee, "refusal": refusal, "text_form": text_form,
        "file_form": file_form, "pub": pub, "result": result, "ratings": Rating.labels,
        "window_open": publication.window_open(pub, timezone.localdate()),
        "objection_refusal": publication.objection_refusal(pub, timezone.localdate()),
        "objection_form": forms.ObjectionForm(),
        "max_mb": selectors.ballot_setting("BALLOT_REPORT_MAX_BYTES") // (1024 * 1024),
        "states": RoundState})


urlpatterns: list = [
    path("ballots/township/<str:township_pk>/", office_rounds, name="ballots_office"),
    path("ballots/township/<str:township_pk>/create/", office_create, name="ballots_create"),
    path("ballots/township/<str:township_pk>/weights/", weights, name="ballots_weights"),
    path("ballots/school/<str:school_pk>/", school_rounds, name="ballots_school"),
    path("ballots/school/<str:school_pk>/create/", school_create, name="ballots_school_create"),
    path("ballots/round/<str:round_pk>/", round_page, name="ballots_round"),
    path("ballots/round/<str:round_pk>/people/<str:pk>/remove/", person_remove,
         name="ballots_person_remove"),
    path("ballots/round/<str:round_pk>/invite/", voter_invite, name="ballots_invite"),
    path("ballots/round/<str:round_pk>/guest/", guest_create, name="ballots_guest"),
    path("ballots/round/<str:round_pk>/voters/<str:pk>/remove/", voter_remove,
         name="ballots_voter_remove"),
    path("ballots/round/<str:round_pk>/open/", round_open, name="ballots_open"),
    path("ballots/round/<str:round_pk>/close/", round_close, name="ballots_close"),
    path("ballots/round/<str:round_pk>/scores/", scores_save, name="ballots_scores"),
    path("ballots/round/<str:round_pk>/publish/", results_publish, name="ballots_publish"),
    path("ballots/round/<str:round_pk>/lock/", results_lock, name="ballots_lock"),
    path("ballots/round/<str:round_pk>/reopen/", results_reopen, name="ballots_reopen"),
    path("ballots/round/<str:round_pk>/objections/<str:pk>/answer/", objection_answer,
         name="ballots_answer"),
    path("ballots/round/<str:round_pk>/export/", results_export, name="ballots_export"),
    path("ballots/", mine, name="ballots_mine"),
    path("ballots/round/<str:round_pk>/vote/", vote, name="ballots_vote"),
    path("ballots/round/<str:round_pk>/reports/", reports, name="ballots_reports"),
    path("ballots/report/<str:pk>/", report_file, name="ballots_report_file"),
    path("ballots/mine/<str:pk>/", my_report, name="ballots_my_report"),
]

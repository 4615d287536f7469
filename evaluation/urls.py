"""evaluation's pages, under /evaluation/. Each part's views module holds its paths."""

from evaluation.views import (
    ballots,
    exams,
    letters,
    qualifications,
    recommendations,
    researchers,
    title_candidates,
    title_review,
    title_years,
)

app_name = "evaluation"

urlpatterns: list = [
    *ballots.urlpatterns,  # 述职、民主测评
    *letters.urlpatterns,  # 目标责任书 (R10)
    *exams.urlpatterns,  # exam results and awards (R9)
    *recommendations.urlpatterns,  # recommendation lists, the award as a threshold
    *researchers.urlpatterns,  # part-time researchers (R11)
    # The county's title evaluation (R12), under /evaluation/titles/:
    *title_years.urlpatterns,  # the year, its table, quotas, public page, final decision
    *title_candidates.urlpatterns,  # declarations, eligibility, unit scoring, rankings
    *title_review.urlpatterns,  # public scoring: acknowledgements, objections; 破格 review
    *qualifications.urlpatterns,  # teacher-qualification certification (R13)
]

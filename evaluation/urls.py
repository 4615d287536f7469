"""evaluation's pages, under /evaluation/. Each part's views module holds its paths."""

from evaluation.views import ballots, exams, letters, recommendations, researchers

app_name = "evaluation"

urlpatterns: list = [
    *ballots.urlpatterns,  # 述职、民主测评
    *letters.urlpatterns,  # 目标责任书 (R10)
    *exams.urlpatterns,  # exam results and awards (R9)
    *recommendations.urlpatterns,  # recommendation lists, the award as a threshold
    *researchers.urlpatterns,  # part-time researchers (R11)
]

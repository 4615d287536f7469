from .views import allocation, consultation, outcome, plan, posts, selection, unhired

app_name = "recruitment"

urlpatterns = [
    *plan.urlpatterns,  # the cycle, its dashboard, phases 1–2, the report
    *consultation.urlpatterns,  # phases 3–4: opinions, representatives, the vote
    *posts.urlpatterns,  # phase 5: posts (R1) and intentions (R2)
    *selection.urlpatterns,  # phase 6: committees, rankings, hires, cadres, R3–R5
    *allocation.urlpatterns,  # allocation, proposals, the dispatch meeting
    *unhired.urlpatterns,  # phase 7 (R7): training, assignments, explained statuses
    *outcome.urlpatterns,  # the outcome, its workbook, a person's own result
]

from .views import consult, plan

app_name = "recruitment"

urlpatterns = [
    *plan.urlpatterns,  # the cycle, its dashboard, phases 1–2, the report
    *consult.urlpatterns,  # phases 3–4: opinions, representatives, the vote
]

"""The pages of duty reports (述职) and democratic evaluation (民主测评): rounds, reports, the
secret ballot, results and the composite rating."""

urlpatterns: list = []

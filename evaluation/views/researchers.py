"""The pages of part-time researchers (兼职教研员, R11): rounds of subject central teaching-
research groups, schools' applications, the office's selection."""

urlpatterns: list = []

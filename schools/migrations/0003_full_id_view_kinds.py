"""Reveal records name their kind, township, export and row count (issue 8, item 7).

Earlier records were all staff-page or admin looks at one person's ID: they become
``page`` records of the staff member's township. Reversible: going back drops the new
columns (and any export records, which the old table cannot hold).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def township_from_staff(apps, schema_editor):
    FullIdView = apps.get_model("schools", "FullIdView")
    Staff = apps.get_model("schools", "Staff")
    townships = dict(Staff.objects.values_list("pk", "school__township_id"))
    views = list(FullIdView.objects.only("pk", "staff_id"))
    for view in views:
        view.township_id = townships[view.staff_id]
    FullIdView.objects.bulk_update(views, ["township"], batch_size=1000)


def drop_exports(apps, schema_editor):
    apps.get_model("schools", "FullIdView").objects.filter(staff__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_staff_name_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="fullidview",
            name="kind",
            field=models.CharField(
                choices=[("page", "staff page"), ("admin", "administration"), ("export", "export")],
                default="page", max_length=10, verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="fullidview",
            name="township",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="schools.township", verbose_name="township",
            ),
        ),
        migrations.AddField(
            model_name="fullidview",
            name="export",
            field=models.CharField(blank=True, max_length=200, verbose_name="export"),
        ),
        migrations.AddField(
            model_name="fullidview",
            name="rows",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="rows"),
        ),
        migrations.AlterField(
            model_name="fullidview",
            name="staff",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                related_name="full_id_views", to="schools.staff", verbose_name="staff member",
            ),
        ),
        # Backwards, export records go before the staff column is required again.
        migrations.RunPython(township_from_staff, drop_exports),
        migrations.AlterField(
            model_name="fullidview",
            name="township",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="schools.township", verbose_name="township",
            ),
        ),
        migrations.AlterField(
            model_name="fullidview",
            name="viewer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL,
                verbose_name="viewed by",
            ),
        ),
        migrations.AlterField(
            model_name="fullidview",
            name="viewed_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="viewed at"),
        ),
        migrations.AddIndex(
            model_name="fullidview",
            index=models.Index(fields=["township", "-viewed_at"], name="schools_ful_townshi_a859a4_idx"),
        ),
        migrations.AddConstraint(
            model_name="fullidview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "export"), ("rows__isnull", False), ("staff__isnull", True)),
                    models.Q(models.Q(("kind", "export"), _negated=True), ("staff__isnull", False)),
                    _connector="OR",
                ),
                name="full_id_view_person_or_export",
            ),
        ),
    ]

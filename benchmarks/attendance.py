"""How long a county-sized month of attendance takes to import, against openpyxl merely
reading the same file; and the day page's query count with 300 staff.

    .venv/bin/python benchmarks/attendance.py [--staff 10000] [--days 22] [--repeat 1]

Builds a township of ``--staff`` staff in 100 schools (bulk, no history), a 考勤
workbook of ``--staff`` × ``--days`` rows (working days of September and October 2025,
a few exceptions), then times, best of ``--repeat``:

  floor   openpyxl alone: open the file read-only, iterate every row;
  import  ``attendance_import`` into an empty attendance table (every row created);
  again   the same file a second time (every row unchanged, nothing written);
  month   the month aggregated (``month_figures`` with the deductions, the office's
          month page and the payroll export) and its 月汇总 sheet written to xlsx.

Then renders one school's day page with 300 staff (before and after it is saved) and
prints its queries. Without ``DATABASE_URL``
a SQLite file in a temporary folder; with ``DATABASE_URL=postgres://…`` a test database
``bench_<name>`` beside it (created and dropped here).
"""

import argparse
import io
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.roster_import import best_of  # noqa: E402
from benchmarks.selection_queries import setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=22)
    parser.add_argument("--repeat", type=int, default=1)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="attendance-bench-") as tmp:
        setup_django(tmp)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from openpyxl import load_workbook

        settings.ALLOWED_HOSTS = ["*"]
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                      serialize=False)
        try:
            from django.contrib.auth import get_user_model

            from attendance import rules, sheets
            from attendance.models import AttendanceRecord
            from attendance.selectors import days as days_selectors
            from attendance.selectors import month as month_selectors
            from attendance.services import days as days_services
            from attendance.sheets import ATTENDANCE_COLUMNS, ATTENDANCE_SHEET
            from schools import resident_id
            from schools.models import County, Membership, Role, School, Staff, Township
            from staffing.workbook import SheetSpec, workbook_bytes, write_workbook

            county = County.objects.create(name="本县")
            township = Township.objects.create(county=county, name="全县")
            schools = School.objects.bulk_create([
                School(township=township, name=f"第{i}学校", kind="complete_primary",
                       establishment=100, post_count=100) for i in range(100)])
            rng = random.Random(11)
            staff = []
            for n in range(args.staff):
                born = date(1965 + n % 35, 1 + n % 12, 1 + n % 28)
                number = resident_id.make(f"37{n // 1000:04d}", born, n % 1000,
                                          resident_id.MALE if n % 2 else resident_id.FEMALE)
                staff.append(Staff(resident_id=number, name=f"教师{n}", sex="M",
                                   birth_date=born, school=schools[n % 100]))
            Staff.objects.bulk_create(staff, batch_size=1000)
            days = rules.working_days(date(2025, 9, 1), date(2025, 10, 31), {})[:args.days]
            words = ["出勤"] * 95 + ["迟到", "迟到", "早退", "病假", "公假"]
            rows = [(day, s.resident_id, rng.choice(words), "") for day in days for s in staff]
            data = workbook_bytes([SheetSpec(ATTENDANCE_SHEET, ATTENDANCE_COLUMNS, rows,
                                             text_columns=frozenset({"身份证号"}))])
            del rows
            print(f"workbook: {args.staff:,} staff × {len(days)} days = "
                  f"{args.staff * len(days):,} rows, {len(data) / 2**20:.2f} MiB")
            print(f"database: {connection.vendor}, best of {args.repeat}")

            def read_only():
                book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                for _row in book[ATTENDANCE_SHEET].iter_rows(values_only=True):
                    pass
                book.close()

            def import_once():
                result = days_services.attendance_import(
                    by=None, township=township, data=data,
                    max_bytes=settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES)
                assert result.ok, result.error_lines[:5]
                return result

            def empty():
                AttendanceRecord.history.all().delete()
                AttendanceRecord.objects.all().delete()

            floor = best_of(args.repeat, lambda: None, read_only)
            first = best_of(args.repeat, empty, import_once)
            again = best_of(args.repeat, lambda: None, import_once)
            empty()
            with CaptureQueriesContext(connection) as first_queries:
                import_once()
            tracemalloc.start()
            with CaptureQueriesContext(connection) as again_queries:
                written = import_once().written
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert written.unchanged == args.staff * len(days), written

            # the month: aggregated with the deductions, and its sheet written
            rates = month_selectors.rates_of(days_selectors.settings_of(township))
            year, month = days[0].year, days[0].month

            def aggregate():
                return month_selectors.month_figures(township, year, month, rates=rates)

            def aggregate_and_write():
                figures = aggregate()
                write_workbook(io.BytesIO(), [sheets.month_sheet(figures.staff)])

            month_days = sum(1 for d in days if (d.year, d.month) == (year, month))
            aggregated = best_of(args.repeat, lambda: None, aggregate)
            exported = best_of(args.repeat, lambda: None, aggregate_and_write)
            with CaptureQueriesContext(connection) as month_queries:
                month_staff = len(aggregate().staff)

            # the day page with 300 staff
            school = School.objects.create(township=township, name="大学校",
                                           kind="complete_primary", establishment=300,
                                           post_count=300)
            Staff.objects.filter(pk__in=[s.pk for s in staff[:300]]).update(school=school)
            user = get_user_model().objects.create_user("principal", password="x" * 12)
            Membership.objects.create(user=user, role=Role.PRINCIPAL, school=school)
            client = Client()
            client.force_login(user)
            url = reverse("attendance:day", args=[school.pk, "2025-11-03"])
            page_counts = []
            for _step in ("empty", "saved"):
                with CaptureQueriesContext(connection) as page_queries:
                    start = time.perf_counter()
                    response = client.get(url, secure=True)
                    elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                page_counts.append((len(page_queries), elapsed, len(response.content)))
                with CaptureQueriesContext(connection) as save_queries:
                    client.post(url, {f"s{staff[0].pk}": "late"}, secure=True)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{'':8}{'seconds':>9}{'÷ floor':>9}{'queries':>9}")
    print(f"{'floor':8}{floor:9.2f}{1:9.2f}{'-':>9}")
    print(f"{'import':8}{first:9.2f}{first / floor:9.2f}{len(first_queries):9d}")
    print(f"{'again':8}{again:9.2f}{again / floor:9.2f}{len(again_queries):9d}")
    print(f"{'month':8}{aggregated:9.2f}{aggregated / floor:9.2f}{len(month_queries):9d}"
          f"   ({month_staff:,} staff × {month_days} days aggregated with deductions)")
    print(f"{'+ xlsx':8}{exported:9.2f}{exported / floor:9.2f}{'':>9}"
          f"   (the same, and its 月汇总 sheet written)")
    print(f"peak Python memory of an import (tracemalloc): {peak / 2**20:.0f} MiB")
    for label, (count, elapsed, size) in zip(("not recorded", "recorded"), page_counts,
                                             strict=True):
        print(f"day page, 300 staff, {label}: {count} queries, {elapsed * 1000:.0f} ms, "
              f"{size / 1024:.0f} KiB")
    print(f"day page save, 300 staff: {len(save_queries)} queries")


if __name__ == "__main__":
    main()

"""How long a roster import takes, against openpyxl merely reading the same file.

    .venv/bin/python benchmarks/roster_import.py [--rows 5000] [--repeat 3] [--profile]

Generates a roster workbook of ``--rows`` staff (``schools.demo``), then times, best of
``--repeat``:

  floor   openpyxl alone: open the file read-only, iterate every row of both sheets;
  import  ``roster_import`` of the file into an empty database (every row created);
  again   the same file imported a second time (every row unchanged, nothing written).

Each repetition starts from an empty database (a test database, flushed). Without
``DATABASE_URL`` that is a SQLite file in a temporary folder, with the production
settings' options; with ``DATABASE_URL=postgres://…`` it is a test database beside
the one named, ``bench_<name>`` (created and dropped here). The target is import/floor ≤ 2.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="staff rows (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--profile", action="store_true", help="also print where one import spends its time"
    )
    return parser.parse_args()


def setup_django(tmp: str) -> None:
    """Production settings; without DATABASE_URL a SQLite file under ``tmp``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/unused.sqlite3")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        test_name = f"{tmp}/bench.sqlite3"  # a file, as in production, not memory
    else:
        test_name = f"bench_{database['NAME']}"  # not the test suite's test database
    database.setdefault("TEST", {})["NAME"] = test_name


def best_of(repeat: int, prepare, run) -> float:
    """The shortest of ``repeat`` timings of ``run()``, each after ``prepare()``."""
    timings = []
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as tmp:
        setup_django(tmp)
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from openpyxl import load_workbook

        from schools import demo
        from schools.services import roster_import, township_for_import

        staff = demo.staff_for(count=args.rows)
        data = demo.roster_workbook(demo.SCHOOLS, staff)
        print(f"workbook: {args.rows} staff rows, {len(data) / 2**20:.2f} MB")
        print(f"database: {connection.vendor}, best of {args.repeat}")

        def read_only():
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for sheet in book.worksheets:
                for _row in sheet.iter_rows(values_only=True):
                    pass
            book.close()

        def import_once():
            township = township_for_import(name=demo.TOWNSHIP, county=demo.COUNTY)
            result = roster_import(by=None, township=township, data=data)
            assert result.ok, result.error_lines[:5]
            return result

        def empty_database():
            call_command("flush", interactive=False, verbosity=0)

        def imported_database():
            empty_database()
            import_once()

        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            floor = best_of(args.repeat, lambda: None, read_only)
            first = best_of(args.repeat, empty_database, import_once)
            again = best_of(args.repeat, imported_database, import_once)
            empty_database()
            with CaptureQueriesContext(connection) as first_queries:
                summary = import_once().plan.summary()
            with CaptureQueriesContext(connection) as again_queries:
                again_summary = import_once().plan.summary()
            assert summary["staff_created"] == args.rows, summary
            assert again_summary["staff_unchanged"] == args.rows, again_summary
            if args.profile:
                empty_database()
                profiler = cProfile.Profile()
                profiler.runcall(import_once)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{'':8}{'seconds':>9}{'÷ floor':>9}{'queries':>9}")
    print(f"{'floor':8}{floor:9.3f}{1:9.2f}{'-':>9}")
    print(f"{'import':8}{first:9.3f}{first / floor:9.2f}{len(first_queries):9d}")
    print(f"{'again':8}{again:9.3f}{again / floor:9.2f}{len(again_queries):9d}")


if __name__ == "__main__":
    main()

"""Time and peak memory of the two denial-of-service files of issue 8 through the roster
upload service (``schools.services.roster_upload``: check, parse, validate, keep).

    .venv/bin/python benchmarks/upload_limits.py [--case number|bomb|roster|all]

  number  a roster whose 编制数 cell is the text ``1e1000000`` (nine characters);
  bomb    a ~1 MB workbook whose 教职工 sheet unpacks to ~190 MiB (1.5 million rows of
          the same cells: it compresses ~190 times);
  edge    the worst the zip checks let through: the bomb's rows, as many as fit just
          under ``WORKBOOK_MAX_UNCOMPRESSED_BYTES``, padded to just under
          ``WORKBOOK_MAX_RATIO`` (openpyxl parses a sheet without a ``<dimension>``
          element whole when it opens the workbook, before the row cap is reached);
  roster  for comparison, a valid roster of 5,000 staff.

With ``--lift-zip-limits`` the unpacked-size and ratio checks are set out of the way,
so the bomb meets the row cap (``WORKBOOK_MAX_ROWS``) behind them.

Each case runs in a child process of its own (so ``ru_maxrss`` is that case's peak),
on a fresh SQLite test database under a temporary folder, with the production
settings' limits. Prints seconds, peak resident memory and what the clerk is told.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASES = ("number", "bomb", "edge", "roster")


def bomb_workbook(roster: bytes, *, rows: int = 1_390_000, size: int = 1_050_000) -> bytes:
    """``roster`` with its 教职工 sheet (sheet2) replaced by ``rows`` identical wrong rows
    (no row or cell references: they compress ~1000 times), padded with random bytes
    stored as they are to ``size`` bytes in all, as issue 8's file: ~1 MB unpacking to
    ~190 MiB, under the old limits (200 MiB, 200 times)."""
    def inline(*values):
        return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)

    cells = inline("张伟", "123", "火星完小")
    header = inline("姓名", "身份证号", "所在学校")
    row = f"<row>{cells}</row>".encode()
    source, out = zipfile.ZipFile(io.BytesIO(roster)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for entry in source.infolist():
            if entry.filename != "xl/worksheets/sheet2.xml":
                target.writestr(entry.filename, source.read(entry))
        with target.open("xl/worksheets/sheet2.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
                        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData><row>" + header.encode() + b"</row>")
            for _start in range(0, rows, 1000):
                sheet.write(row * 1000)
            sheet.write(b"</sheetData></worksheet>")
        padding = max(size - out.tell() - 200, 0)
        target.writestr(zipfile.ZipInfo("xl/media/image1.bin"), os.urandom(padding),
                        compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def run_case(case: str) -> dict:
    """In this (child) process: build the file, upload it, measure."""
    tmp = tempfile.mkdtemp(prefix="upload-limits-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/unused.sqlite3"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{tmp}/bench.sqlite3"
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from schools import demo, services
    from schools.models import Membership, Role
    from staffing import workbook as wb

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    township = services.township_for_import(name=demo.TOWNSHIP, county=demo.COUNTY)
    office = services.login_ensure(username="office", password="x")
    Membership.objects.create(user=office, role=Role.TOWNSHIP_OFFICE, township=township)

    if case == "roster":
        data = demo.roster_workbook(demo.SCHOOLS, demo.staff_for(count=5000))
    else:
        data = demo.roster_workbook(demo.SCHOOLS, demo.staff_for(count=10))
        if case == "number":
            from tests.rosters import roster, school_row, staff_row

            data = roster(schools=[school_row(establishment="1e1000000")], staff=[staff_row()])
        elif case == "bomb":
            data = bomb_workbook(data)
        else:
            per_row = 143  # bytes of the bomb's sheet XML per row
            unpacked = int(settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES * 0.98)
            data = bomb_workbook(data, rows=unpacked // per_row,
                                 size=int(unpacked / settings.WORKBOOK_MAX_RATIO * 1.02))
    unpacked = sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(data)).infolist())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    cpu = time.process_time()
    try:
        record, result = services.roster_upload(
            by=office, township=township,
            uploaded=SimpleUploadedFile("roster.xlsx", data, content_type=wb.XLSX_CONTENT_TYPE),
        )
        told = (f"{record.status}: {record.summary['wrong_rows']} wrong rows; "
                + "; ".join(f"{e['column']}: {e['reason']}" for e in record.preview["errors"][:1]))
    except wb.WorkbookError as exc:
        told = f"refused: {exc}"
    return {
        "case": case,
        "file_bytes": len(data),
        "unpacked_bytes": unpacked,
        "seconds": round(time.perf_counter() - start, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mib": round(before / 1024, 1),
        "told": told,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", default="all", choices=(*CASES, "all"))
    parser.add_argument(
        "--lift-zip-limits", action="store_true",
        help="raise the unpacked-size and ratio limits out of the way, to measure the row "
             "and error caps behind them",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.case), ensure_ascii=False))
        return
    env = dict(os.environ)
    if args.lift_zip_limits:
        env.update(WORKBOOK_MAX_UNCOMPRESSED_BYTES=str(2**40), WORKBOOK_MAX_RATIO=str(10**6))
    for case in CASES if args.case == "all" else (args.case,):
        out = subprocess.run([sys.executable, __file__, "--case", case, "--child"],
                             capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        found = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{found['case']:7} file {found['file_bytes'] / 2**20:6.2f} MiB, unpacked "
              f"{found['unpacked_bytes'] / 2**20:7.2f} MiB: {found['seconds']:6.2f} s "
              f"({found['cpu_seconds']:.2f} s CPU), peak {found['peak_rss_mib']:.0f} MiB "
              f"(process before the upload {found['rss_before_mib']:.0f} MiB)")
        print(f"        → {found['told']}")


if __name__ == "__main__":
    main()

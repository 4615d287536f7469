"""Reading and writing xlsx workbooks: every import and export of every app goes here.

Reading: an upload is checked as a zip (size, entry count, uncompressed total and
ratio) before openpyxl opens it in read-only mode (openpyxl parses with defusedxml
when it is installed); headers are matched after trimming half- and full-width
spaces; values are parsed in the spellings offices use; every problem becomes a
``RowError`` naming sheet, row, column and reason.

Writing: cells a spreadsheet would run as a formula are written as text, identity
columns are text-formatted, and a failed import's rows come back with an error
column (``error_workbook``).
"""

import io
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

log = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Wrong rows listed on a preview page; the error workbook has them all (up to the cap).
ERRORS_SHOWN = 100
# Columns read from a sheet: a roster has 11; a sheet claiming 16,384 is not padded out.
MAX_COLUMNS = 100
# Characters of a cell quoted back in a reason.
_QUOTED = 30
# A multipart request carries a few hundred bytes besides the file; a request this much
# over the limit is refused before its body is read.
_REQUEST_OVERHEAD = 64 * 1024

# Half-width and full-width (U+3000) spaces, and the other blanks a paste brings in.
_BLANKS = " \t\r\n\u3000\u00a0\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class WorkbookError(Exception):
    """The file as a whole cannot be read (not xlsx, too large, a sheet missing)."""


@dataclass(frozen=True, order=True)
class RowError:
    sheet: str
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    reason: str

    def __str__(self):
        return _("%(sheet)s row %(row)d, %(column)s: %(reason)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


def error_lines(errors: Iterable[RowError]) -> list[str]:
    """One line per wrong row (sheet, row), its columns and reasons joined."""
    by_row: dict[tuple[str, int], list[RowError]] = {}
    for error in sorted(errors, key=lambda e: (e.sheet, e.row)):
        by_row.setdefault((error.sheet, error.row), []).append(error)
    lines = []
    for (sheet, row), found in by_row.items():
        detail = _("; ").join(f"{e.column}: {e.reason}" for e in found)
        lines.append(_("%(sheet)s row %(row)d, %(detail)s") % {
            "sheet": sheet, "row": row, "detail": detail,
        })
    return lines


# --- reading -------------------------------------------------------------------------


def size_text(size: int, *, up: bool = False) -> str:
    """A size in binary units as they are (``10 MiB``, ``12.4 MiB``, ``850 bytes``);
    ``up`` rounds up, so a file over a limit never reads as the limit itself."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            tenths = size * 10 / scale
            tenths = math.ceil(tenths) if up else round(tenths)
            return f"{tenths // 10} {unit}" if tenths % 10 == 0 else f"{tenths / 10:.1f} {unit}"
    return _("%(n)d bytes") % {"n": size}


def _too_large(size: int, max_bytes: int) -> WorkbookError:
    return WorkbookError(
        _("The file is %(size)s; the largest accepted is %(max)s.")
        % {"size": size_text(size, up=True), "max": size_text(max_bytes)}
    )


def request_too_large(request) -> WorkbookError | None:
    """The refusal for an upload whose request alone is over the limit, before Django
    reads its body (the size it announces is the file's, give or take its form)."""
    max_bytes = settings.WORKBOOK_MAX_UPLOAD_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= max_bytes + _REQUEST_OVERHEAD:
        return None
    return WorkbookError(
        _("The file is larger than %(max)s, the largest accepted.") % {"max": size_text(max_bytes)}
    )


def upload_view(view):
    """An upload view whose request over the size limit is refused before its body is
    read, in production as in the tests. ``CsrfViewMiddleware`` reads ``request.POST``
    before any view runs, which parses the whole multipart body (a 200 MiB file spooled
    to disk); so the view is exempt from the middleware and protected here instead,
    after the size check. A request ``request_too_large`` refuses goes to the view with
    an empty POST and FILES, never its body: the view answers it with its form and the
    reason, and nothing a request carries is acted on without its CSRF check."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and request_too_large(request):
            request._post, request._files = QueryDict(), MultiValueDict()
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def read_upload(uploaded) -> bytes:
    """An uploaded file's bytes, refused by its size before it is read."""
    max_bytes = settings.WORKBOOK_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(uploaded.size, max_bytes)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max(uploaded.size or 0, len(data)), max_bytes)
    return data


def refuse_upload(form, error: WorkbookError):
    """``form`` (unbound: the request's body was never read) showing ``error`` on its
    ``workbook`` field."""
    form.errors["workbook"] = form.error_class([str(error)], renderer=form.renderer)
    return form


def check_upload(data: bytes, *, kind: str | None = None, max_bytes: int | None = None) -> None:
    """Refuse what is not a reasonable xlsx before any parser sees it; ``kind`` names
    the workbook expected (``花名册``, ``岗位表``) in the message."""
    kind = kind or _("workbook to import")
    max_bytes = max_bytes or settings.WORKBOOK_MAX_UPLOAD_BYTES
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookError(
            _("This is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise WorkbookError(_("The workbook is damaged and cannot be read.")) from None
    total = sum(entry.file_size for entry in entries)
    if (
        len(entries) > settings.WORKBOOK_MAX_ENTRIES
        or total > settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES
        or total > settings.WORKBOOK_MAX_RATIO * max(len(data), 1)
    ):
        raise WorkbookError(
            _(
                "The workbook is far larger once unpacked than any %(kind)s could be; it was "
                "refused as unsafe. Save it again from Excel and upload the new file."
            )
            % {"kind": kind}
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookError(
            _("This is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        )


def _unreadable(exc: Exception) -> WorkbookError:
    """What a parser's exception means for the clerk, in their words; the exception's
    own text (which may quote a cell) goes nowhere, its kind to the log."""
    log.warning("workbook_unreadable error=%s", type(exc).__name__)
    if isinstance(exc, InvalidFileException):
        return WorkbookError(
            _("This is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        )
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError | KeyError):
        return WorkbookError(_("The workbook is damaged and cannot be read."))
    return WorkbookError(
        _(
            "The workbook has content that cannot be read (a value, format or part that "
            "Excel did not write). Copy its data into a new workbook, save it as .xlsx and "
            "upload it again."
        )
    )


def open_workbook(data: bytes, *, kind: str | None = None, max_bytes: int | None = None):
    """Check, then open read-only with values (not formulas)."""
    check_upload(data, kind=kind, max_bytes=max_bytes)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable(exc) from None


def _guarded(rows):
    """A sheet's rows, parsed lazily: a parser error on the way is the file's fault."""
    try:
        yield from rows
    except Exception as exc:
        raise _unreadable(exc) from None


def clean_text(value) -> str:
    """A cell as trimmed text ('' for empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(_BLANKS)


def normalize_header(value) -> str:
    return re.sub(f"[{_BLANKS}]", "", clean_text(value))


@dataclass
class SheetRows:
    """One sheet's rows: ``values`` maps each wanted key to the raw cell value."""

    name: str
    headers: list[str] = field(default_factory=list)  # as found, for the error workbook
    raw: list[tuple[int, tuple]] = field(default_factory=list)  # (row number, cells)
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, key → value)
    errors: list[RowError] = field(default_factory=list)


def read_sheet(workbook, name: str, columns: dict[str, str], required: Sequence[str],
               *, max_rows: int | None = None) -> SheetRows:
    """Read sheet ``name``; ``columns`` maps our key → header text, ``required`` keys.

    A missing sheet or missing required header is one error on row 1. Fully empty
    rows are skipped (clerks leave gaps). A sheet with data below row ``max_rows`` + 1
    (by default ``WORKBOOK_MAX_ROWS``; attendance passes its own, a county's month) is
    refused whole (``WorkbookError``); columns past the last header (and past
    ``MAX_COLUMNS``) are not read.
    """
    result = SheetRows(name=name)
    if name not in workbook.sheetnames:
        result.errors.append(RowError(name, 1, "-", _("the sheet is missing")))
        return result
    sheet = workbook[name]
    header_row = next(_guarded(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS,
                                               values_only=True)), None) or ()
    while header_row and clean_text(header_row[-1]) == "":
        header_row = header_row[:-1]
    result.headers = [clean_text(h) for h in header_row]
    positions = {normalize_header(h): i for i, h in enumerate(header_row) if h is not None}
    wanted = {}
    for key, header in columns.items():
        index = positions.get(normalize_header(header))
        if index is None:
            if key in required:
                result.errors.append(RowError(name, 1, header, _("required column is missing")))
        else:
            wanted[key] = index
    if result.errors:
        return result
    width = len(header_row)
    if not width:
        return result
    max_rows = max_rows or settings.WORKBOOK_MAX_ROWS
    last_row = max_rows + 1  # the header is row 1
    rows = _guarded(sheet.iter_rows(min_row=2, max_col=width, values_only=True))
    for number, cells in enumerate(rows, start=2):
        if not any(clean_text(c) for c in cells):
            continue
        if number > last_row:
            raise WorkbookError(
                _("Sheet %(sheet)s has more than %(n)s rows, more than any import needs; "
                  "nothing was read. Split it or remove the rows below row %(last)s.")
                % {"sheet": name, "n": f"{max_rows:,}",
                   "last": f"{last_row:,}"}
            )
        cells = tuple(cells) + (None,) * (width - len(cells))
        result.raw.append((number, cells))
        result.rows.append((number, {key: cells[i] for key, i in wanted.items()}))
    return result


class ErrorCap:
    """Counts an import's wrong rows and says when to stop checking: past
    ``WORKBOOK_MAX_ERRORS`` more errors tell the clerk nothing and cost the server."""

    def __init__(self):
        self.limit = settings.WORKBOOK_MAX_ERRORS
        self.wrong_rows = 0
        self.stopped_at: tuple[str, int] | None = None  # (sheet, first row not checked)

    def count(self, problems) -> None:
        if problems:
            self.wrong_rows += 1

    def full(self, sheet: str, next_row: int) -> bool:
        if self.wrong_rows >= self.limit:
            self.stopped_at = self.stopped_at or (sheet, next_row)
            return True
        return False

    def notice(self) -> str:
        """What a preview says when checking stopped ('' when it did not)."""
        if self.stopped_at is None:
            return ""
        sheet, row = self.stopped_at
        return _(
            "Checking stopped after %(n)s wrong rows: from sheet %(sheet)s row %(row)s on, "
            "rows were not checked and there may be more errors."
        ) % {"n": f"{self.limit:,}", "sheet": sheet, "row": f"{row:,}"}


def errors_kept(errors: Sequence[RowError]) -> dict:
    """What a preview page keeps of an import's errors: the first ``ERRORS_SHOWN``
    (JSON-ready) and how many there are in all."""
    ordered = sorted(errors)
    return {
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "reason": e.reason}
            for e in ordered[:ERRORS_SHOWN]
        ],
        "errors_total": len(ordered),
    }


def errors_shown(kept: dict) -> tuple[list[RowError], int]:
    """The errors ``errors_kept`` kept, and how many more there are."""
    errors = [RowError(**e) for e in kept.get("errors", [])]
    return errors, kept.get("errors_total", 0) - len(errors)


class ValueProblem(ValueError):
    """A cell's value cannot be used; str() is the reason shown to the user."""


_FULL_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value, *, month_ok: bool = False) -> date | None:
    """A date cell, or text ``2001-09-01``, ``2001.9.1``, ``2001/9/1``, ``2001年9月1日``,
    ``20010901``; with ``month_ok`` also ``2001-09``, ``2001.09``, ``2001/9``,
    ``2001年9月`` (the first of the month). Empty gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    match = _FULL_DATE.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif month_ok and (match := _MONTH.match(text)):
        year, month, day = int(match.group(1)), int(match.group(2)), 1
    else:
        raise ValueProblem(_("“%(value)s” is not a date") % {"value": quoted(text)})
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(_("“%(value)s” is not a date") % {"value": text}) from None


_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_MAX_NUMBER_TEXT = 20


def quoted(text: str) -> str:
    """A cell's text as a reason quotes it: the first characters of a long one."""
    return text if len(text) <= _QUOTED else text[:_QUOTED] + "…"


def parse_whole_number(value, *, minimum: int = 0, maximum: int) -> int:
    """A whole number from ``minimum`` to ``maximum``, with bounded work whatever the
    cell holds: text is at most 20 plain digits (no exponent: ``1e1000000`` is nine
    characters and a million digits), a float is finite."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isinf(value):  # a number cell past a float's range, 1e1000000 say
            number = maximum + 1 if value > 0 else minimum - 1
        else:
            number = int(value) if value.is_integer() else None
    else:
        text = clean_text(value).translate(_FULL_WIDTH_DIGITS)
        number = None
        if len(text) <= _MAX_NUMBER_TEXT and _WHOLE_TEXT.fullmatch(text):
            decimal = Decimal(text)
            if decimal == decimal.to_integral_value():
                number = int(decimal)
    if number is None:
        raise ValueProblem(
            _("“%(value)s” is not a whole number") % {"value": quoted(clean_text(value))}
        )
    if number < minimum:
        raise ValueProblem(_("must be at least %(min)d") % {"min": minimum})
    if number > maximum:
        raise ValueProblem(_("must be at most %(max)s") % {"max": f"{maximum:,}"})
    return number


def parse_yes_no(value, *, default: bool = False) -> bool:
    text = clean_text(value)
    if not text:
        return default
    if text in ("是", "Y", "y", "yes", "Yes", "1", "TRUE", "True", "true"):
        return True
    if text in ("否", "N", "n", "no", "No", "0", "FALSE", "False", "false"):
        return False
    raise ValueProblem(_("write 是 or 否, not “%(value)s”") % {"value": quoted(text)})


# --- writing -------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_ERROR_FONT = Font(color="C00000")


@dataclass
class SheetSpec:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    text_columns: frozenset = frozenset()  # header names written and formatted as text
    required: frozenset = frozenset()  # header names marked as required (template)
    widths: dict = field(default_factory=dict)


def _cell(sheet, value, *, as_text: bool):
    if value is None:
        value = ""
    if as_text and not isinstance(value, str):
        value = clean_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # Stored as a text cell with Excel's quote prefix: shown and re-read as
        # written, never run as a formula.
        cell.data_type = "s"
        cell.quotePrefix = True
    if as_text:
        cell.number_format = "@"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_workbook(stream, sheets: Sequence[SheetSpec]) -> None:
    """Write ``sheets`` to ``stream`` in write-only (streaming) mode."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.name)
        for index, header in enumerate(spec.headers):
            letter = _column_letter(index)
            sheet.column_dimensions[letter].width = spec.widths.get(
                header, 22 if header in spec.text_columns else 14
            )
        header_cells = []
        for header in spec.headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = _HEADER_FONT
            if header in spec.required:
                cell.fill = _REQUIRED_FILL
            header_cells.append(cell)
        sheet.append(header_cells)
        text_positions = {i for i, h in enumerate(spec.headers) if h in spec.text_columns}
        for row in spec.rows:
            sheet.append(
                [_cell(sheet, v, as_text=i in text_positions) for i, v in enumerate(row)]
            )
    book.save(stream)


def workbook_bytes(sheets: Sequence[SheetSpec]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def error_workbook(
    sheets: Sequence[SheetRows], *, error_header: str, text_headers: frozenset = frozenset()
) -> bytes:
    """Every read row of each sheet back, as found, with ``error_header`` filled on the
    wrong ones, so a clerk fixes them in place and uploads the same file again (the
    extra column is ignored on import)."""
    specs = []
    for sheet in sheets:
        if not sheet.headers and not sheet.errors:
            continue  # a sheet the workbook did not have and did not need
        reasons: dict[int, list[str]] = {}
        for error in sheet.errors:
            reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
        headers = [*sheet.headers, error_header]
        rows = [
            [*cells, "; ".join(reasons.get(number, []))] for number, cells in sheet.raw
        ]
        specs.append(SheetSpec(sheet.name, headers, rows, text_columns=text_headers))
    return workbook_bytes(specs)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_response(data: bytes, filename: str, *, fallback: str):
    """A workbook download: an ASCII name for old clients, the real one per RFC 5987."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response

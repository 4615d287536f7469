"""Printing to PDF (contracts, responsibility letters): a page's HTML through WeasyPrint
with the project's print stylesheet (Noto CJK, A4), nothing fetched but data: URLs, and
the download response with a Chinese file name. Imports no app."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STYLESHEET = settings.BASE_DIR / "static" / "css" / "contract-pdf.css"


def render_pdf(template: str, context: dict) -> bytes:
    """``template`` rendered with ``context`` and printed; the page may fetch nothing
    from the network or the disk."""
    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols=("data",))
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
        stylesheets=[stylesheet])


def pdf_response(data: bytes, filename: str, *, fallback: str) -> HttpResponse:
    """A download: ``filename`` (UTF-8, e.g. 目标责任书-夏庄完小.pdf) with an ASCII
    ``fallback`` for old clients; never cached."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}")
    response["Cache-Control"] = "private, no-store"
    return response

"""The visible text of a page, and the English words in it (issue 10): a plain helper
module the page-text tests share.

Visible text is the text between tags, less scripts, styles, templates and any element
marked ``lang="en"`` (the language switch names English in English)."""

import re
from html.parser import HTMLParser

from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model

WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {"xlsx"}
HIDDEN = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}  # no end tag: nothing inside to skip


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hiding: list[str] = []  # the open elements whose text is skipped
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in HIDDEN or dict(attrs).get("lang", "").startswith("en"):
            self.hiding.append(tag)

    def handle_endtag(self, tag):
        if self.hiding and self.hiding[-1] == tag:
            self.hiding.pop()

    def handle_data(self, data):
        if not self.hiding:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def english_words(page: str, *typed: str) -> set[str]:
    """``typed``: more of what a person types (the demo password)."""
    data = [*typed, *get_user_model().objects.values_list("username", flat=True)]
    for model in (AccessAttempt, AccessLog):
        for row in model.objects.values_list("user_agent", "path_info"):
            data.extend(row)
    allowed = ALLOWED | {part for value in data for part in WORD.findall(value)}
    return set(WORD.findall(visible_text(page))) - allowed

"""seed_demo's part: target-responsibility letters (目标责任书, R10): the letters of the demo's
principals drafted from the default template by the office, the targets tiered from the
exam's results where the demo has them (entered by the office where a school has none),
sent, and signed by every principal but principal01's, left for principal01 to sign."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from evaluation import rules
from evaluation.models import Letter
from evaluation.services import letters as letter_services
from recruitment.models import Cycle
from schools.models import Township

LEFT_TO_SIGN = "principal01"  # 葛石镇中心中学's principal tries signing on the page
MANUAL_TARGET = "完成县镇下达的年度教育教学考核任务，考核等次不低于上一学年"


def seed(township: Township, cycle: Cycle) -> None:
    if Letter.objects.filter(township=township, school_year=cycle.school_year).exists():
        return
    office = get_user_model().objects.get(username="office")
    letter_services.letters_draft(by=office, township=township, school_year=cycle.school_year)
    letters = list(Letter.objects.filter(township=township, school_year=cycle.school_year)
                   .select_related("principal__user", "school", "township"))
    for letter in letters:
        if not letter.target:
            letter_services.letter_edit(
                by=office, letter=letter, target=MANUAL_TARGET,
                text={name: getattr(letter, name) for name in rules.TEXT_FIELDS})
    letter_services.letters_send(by=office, letters=letters)
    for letter in letters:
        user = letter.principal.user
        if user is None or user.username == LEFT_TO_SIGN:
            continue
        letter_services.letter_sign(by=user, letter=letter)

"""seed_demo: teacher-qualification certification (教师资格认定, R13) in the demo
township's county: ten applications at every stage — two waiting at each check, two
certified, two ended by a failed check with its reason — entered and checked by the
county office (the first county-office login of the county, else the superuser). One
applicant is a staff member of the township (linked by the resident ID). Does nothing
when the county has applications; makes no login."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from evaluation.models import CertificateKind, QualificationApplication
from evaluation.services import qualifications as services
from schools import resident_id
from schools.models import Membership, Role, Staff, Township

REGION = "421127"
# (name, born, kind, subject, the checks passed, the failing check's reason or "")
APPLICANTS = [
    ("程思远", date(2001, 3, 14), CertificateKind.PRIMARY, "语文", 0, ""),
    ("黄雨桐", date(2000, 11, 2), CertificateKind.KINDERGARTEN, "幼儿教育", 0, ""),
    ("刘子涵", date(1999, 6, 21), CertificateKind.JUNIOR, "数学", 1, ""),
    ("胡静怡", date(2002, 1, 9), CertificateKind.PRIMARY, "英语", 1, ""),
    ("陈浩然", date(1998, 8, 30), CertificateKind.SENIOR, "物理", 2, ""),
    ("周梦琪", date(2001, 5, 5), CertificateKind.PRIMARY, "音乐", 2, ""),
    ("王嘉怡", date(1997, 12, 12), CertificateKind.JUNIOR, "语文", 3, ""),
    ("李俊杰", date(2000, 2, 28), CertificateKind.PRIMARY, "数学", 3, ""),
    ("吴佳琪", date(2001, 9, 17), CertificateKind.PRIMARY, "美术", 0,
     "缺少普通话水平测试等级证书"),
    ("赵宇航", date(1999, 4, 3), CertificateKind.JUNIOR, "体育", 1, "体检结论为不合格"),
]
STEPS = ("certificates", "physical", "decision")


def _office(county):
    User = get_user_model()
    member = (Membership.objects.filter(role=Role.COUNTY_OFFICE, county=county)
              .select_related("user").order_by("pk").first())
    return member.user if member else User.objects.filter(is_superuser=True).order_by(
        "pk").first()


def seed(township: Township) -> list:
    county = township.county
    by = _office(county)
    if by is None or QualificationApplication.objects.filter(county=county).exists():
        return []
    today = date.today()
    staff = Staff.objects.filter(school__township=township).order_by("pk").first()
    for index, (name, born, kind, subject, passed, reason) in enumerate(APPLICANTS):
        number = resident_id.make(REGION, born, 100 + index * 7, resident_id.FEMALE
                                  if index % 2 else resident_id.MALE)
        if index == 6 and staff is not None:  # a teacher of the township, a higher kind
            name, number = staff.name, staff.resident_id
        application = services.application_enter(by=by, county=county, data=services.
                                                 ApplicationData(
            name=name, resident_id=number, phone=f"1380727{index:04d}", kind=kind,
            subject=subject, applied_on=today - timedelta(days=30 - index)))
        for number_done, step in enumerate(STEPS[:passed], start=1):
            services.check_record(
                by=by, application=application, step=step, passed=True,
                certificate_number=f"{today.year}42112700{index:02d}"
                if number_done == 3 else "")
        if reason:
            services.check_record(by=by, application=application, step=STEPS[passed],
                                  passed=False, note=reason)
    return []

"""Teacher-qualification certification's world (R13): applications entered and checked
through the services, and valid resident IDs for applicants. A plain module of builders
and fixtures, imported by name (its fixture needs titles_world's ``county``, ``county_user``)."""

from datetime import date

import pytest

from evaluation.models import CertificateKind
from evaluation.services import qualifications as services
from schools import resident_id

STEPS = ("certificates", "physical", "decision")


def applicant_id(n: int) -> str:
    return resident_id.make("421127", date(1995 + n % 8, 1 + n % 12, 1 + n % 28), n,
                            resident_id.MALE if n % 2 else resident_id.FEMALE)


def data(n: int = 1, **extra) -> services.ApplicationData:
    fields = {"name": f"申请人{n}", "resident_id": applicant_id(n), "phone": "13800000000",
              "kind": CertificateKind.PRIMARY, "subject": "语文",
              "applied_on": date(2026, 3, 1)}
    fields.update(extra)
    return services.ApplicationData(**fields)


def application(county, by, n: int = 1, *, passed: int = 0, **extra):
    """An application with its first ``passed`` checks passed."""
    found = services.application_enter(by=by, county=county, data=data(n, **extra))
    for step in STEPS[:passed]:
        found = services.check_record(by=by, application=found, step=step, passed=True)
    return found


@pytest.fixture
def applications(county, county_user):
    """One waiting at each check (certificates, physical, decision)."""
    return [application(county, county_user, n, passed=n) for n in range(3)]

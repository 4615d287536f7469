"""Mainland resident ID numbers (居民身份证号码, GB 11643): parse, check, derive.

Pure functions, no ORM: the roster import, forms and demo data all use them.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

MALE = "M"
FEMALE = "F"


class ResidentIdError(ValueError):
    """The number is not a valid 18-character resident ID; str() is the reason."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # MALE or FEMALE

    @property
    def masked(self) -> str:
        return mask(self.number)


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw) -> str:
    """Trim half- and full-width spaces; upper-case a trailing x."""
    return str(raw or "").strip().strip("\u3000").strip().upper()


def parse(raw) -> ResidentId:
    number = normalize(raw)
    if len(number) != 18:
        raise ResidentIdError(_("must be 18 characters, found %(n)d") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ResidentIdError(_("must be 17 digits followed by a digit or X"))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ResidentIdError(_("contains an impossible birth date")) from None
    if born.year < 1900 or born > date.today():
        raise ResidentIdError(_("contains an impossible birth date"))
    if check_digit(number[:17]) != number[17]:
        raise ResidentIdError(_("checksum digit is wrong"))
    sex = MALE if int(number[16]) % 2 else FEMALE
    return ResidentId(number=number, birth_date=born, sex=sex)


def make(region: str, born: date, sequence: int, sex: str) -> str:
    """Build a valid number (demo data and tests): 6-digit region, 3-digit sequence."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (sex == MALE):
        seq = (seq + 1) % 1000
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def age_on(born: date, on: date) -> int:
    """Age in whole years (周岁) on a day: what roles who may not see the full ID are
    shown instead of the birth date, which is the ID's hidden digits."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mask(number: str) -> str:
    """First 6 and last 4 shown, as STYLE.md asks: 110105********1234."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]

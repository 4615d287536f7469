from datetime import date

import pytest

from schools import resident_id

pytestmark = pytest.mark.usefixtures("english")


def test_a_valid_number_gives_birth_date_and_sex():
    # GB 11643's published example number.
    parsed = resident_id.parse("11010519491231002X")
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == resident_id.FEMALE


def test_lower_case_x_and_spaces_are_accepted_and_stored_upper_case():
    assert resident_id.parse(" 11010519491231002x\u3000").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1101051949123100", "18"),
        ("11010519491231002Y", "digit or X"),
        ("110105194913310020", "birth date"),
        ("110105194912310021", "checksum"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(number, reason):
    with pytest.raises(resident_id.ResidentIdError, match=reason):
        resident_id.parse(number)


def test_a_made_number_round_trips():
    number = resident_id.make("370921", date(1990, 5, 17), 42, resident_id.MALE)
    parsed = resident_id.parse(number)
    assert parsed.birth_date == date(1990, 5, 17)
    assert parsed.sex == resident_id.MALE


def test_masking_keeps_first_six_and_last_four():
    assert resident_id.mask("11010519491231002X") == "110105********002X"

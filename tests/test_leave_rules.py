"""R8's pure rules: the authority for a length (its edges), a school's override, a
principal's own leave, the term, the office's steps."""

from datetime import date

from attendance import rules

P, OF = rules.PRINCIPAL, rules.OFFICE


def test_the_default_at_its_edges():
    assert rules.authority_steps(3, school_rows=[], township_rows=[]) == (P,)
    assert rules.authority_steps(4, school_rows=[], township_rows=[]) == (P, OF)
    assert rules.authority_steps(1, school_rows=[], township_rows=[]) == (P,)


def test_the_smallest_covering_row_applies():
    rows = [(None, [P, OF]), (5, [P]), (2, [OF])]
    assert rules.authority_steps(2, school_rows=[], township_rows=rows) == (OF,)
    assert rules.authority_steps(3, school_rows=[], township_rows=rows) == (P,)
    assert rules.authority_steps(5, school_rows=[], township_rows=rows) == (P,)
    assert rules.authority_steps(6, school_rows=[], township_rows=rows) == (P, OF)


def test_a_schools_rows_come_before_the_townships():
    township = [(3, [P]), (None, [P, OF])]
    school = [(1, [OF, P])]
    assert rules.authority_steps(1, school_rows=school, township_rows=township) == (OF, P)
    assert rules.authority_steps(2, school_rows=school, township_rows=township) == (P,)


def test_no_covering_row_falls_to_the_default():
    assert rules.authority_steps(9, school_rows=[], township_rows=[(3, [OF])]) == (P, OF)


def test_a_principals_own_leave_skips_the_principal():
    assert rules.steps_for_asker((P,), asker_is_principal=True) == (OF,)
    assert rules.steps_for_asker((P, OF), asker_is_principal=True) == (OF,)
    assert rules.steps_for_asker((P, OF), asker_is_principal=False) == (P, OF)


def test_the_term_halves():
    assert rules.term_of(date(2026, 9, 1)) == (date(2026, 9, 1), date(2027, 2, 28))
    assert rules.term_of(date(2027, 2, 28)) == (date(2026, 9, 1), date(2027, 2, 28))
    assert rules.term_of(date(2028, 1, 5)) == (date(2027, 9, 1), date(2028, 2, 29))
    assert rules.term_of(date(2027, 3, 1)) == (date(2027, 3, 1), date(2027, 8, 31))
    assert rules.term_of(date(2027, 8, 31)) == (date(2027, 3, 1), date(2027, 8, 31))


def test_the_offices_steps_are_checked():
    assert rules.steps_refusal([P, OF]) is None
    assert rules.steps_refusal([]) == "empty"
    assert rules.steps_refusal([P, "teacher"]) == "unknown"
    assert rules.steps_refusal([P, P]) == "repeated"

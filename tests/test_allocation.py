"""The allocation engine of spec/matching.md: examples, properties, the command."""

import itertools
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.allocation import AllocationInputError, Post, Problem, Teacher, allocate, parse


def problem(posts, teachers, priorities, own_staff_first=False):
    return Problem(
        tuple(Post(*p) for p in posts),
        tuple(Teacher(t, s, tuple(prefs)) for t, s, prefs in teachers),
        {k: tuple(v) for k, v in priorities.items()},
        own_staff_first,
    )


def test_the_spec_example():
    result = allocate(parse({
        "posts": [{"id": "S001-03", "school": "S001", "seats": 1},
                  {"id": "S004-11", "school": "S004", "seats": 1}],
        "teachers": [
            {"id": "T00017", "school": "S004", "preferences": ["S001-03", "S004-11"]},
            {"id": "T00042", "school": "S001", "preferences": []},
        ],
        "priorities": {"S001-03": ["T00042", "T00017"]},
        "own_staff_first": False,
    }))
    assert result.as_json() == {
        "assignment": {"T00017": "S001-03", "T00042": None},
        "schools": {"S001": {"seats": 1, "filled": 1, "own_staff": 0},
                    "S004": {"seats": 1, "filled": 0, "own_staff": 0}},
    }


def test_teachers_propose_so_the_result_is_teacher_optimal():
    # Two stable assignments exist: {a: P, b: Q} (teachers' choice) and {a: Q, b: P}
    # (posts' choice). The engine must give the teachers theirs.
    p = problem(
        [("P", "S1", 1), ("Q", "S2", 1)],
        [("a", None, ["P", "Q"]), ("b", None, ["Q", "P"])],
        {"P": ["b", "a"], "Q": ["a", "b"]},
    )
    assert allocate(p).assignment == {"a": "P", "b": "Q"}


def test_a_post_missing_from_priorities_accepts_nobody():
    p = problem([("P", "S1", 3)], [("a", "S1", ["P"])], {})
    assert allocate(p).assignment == {"a": None}


def test_own_staff_first_ranks_the_schools_own_teachers_above_others():
    p = problem(
        [("P", "S1", 1)],
        [("out", "S2", ["P"]), ("own", "S1", ["P"])],
        {"P": ["out", "own"]},
    )
    assert allocate(p).assignment == {"out": "P", "own": None}
    own_first = Problem(p.posts, p.teachers, p.priorities, own_staff_first=True)
    assert allocate(own_first).assignment == {"out": None, "own": "P"}


def test_zero_seats_take_nobody():
    p = problem([("P", "S1", 0)], [("a", "S1", ["P"])], {"P": ["a"]})
    assert allocate(p).assignment == {"a": None}
    assert allocate(p).schools["S1"].seats == 0


# --- properties against a brute force on small random instances ----------------------


@st.composite
def instances(draw):
    n_posts = draw(st.integers(1, 3))
    n_teachers = draw(st.integers(1, 4))
    schools = ["S1", "S2", None]
    posts = [(f"P{i}", draw(st.sampled_from(schools[:2])), draw(st.integers(0, 2)))
             for i in range(n_posts)]
    post_ids = [p[0] for p in posts]
    teachers = [(f"T{i}", draw(st.sampled_from(schools)),
                 draw(st.permutations(post_ids).flatmap(
                     lambda perm: st.integers(0, len(perm)).map(lambda k, perm=perm: perm[:k]))))
                for i in range(n_teachers)]
    teacher_ids = [t[0] for t in teachers]
    priorities = {}
    for pid in post_ids:
        if draw(st.booleans()):  # a post missing from priorities accepts nobody
            order = draw(st.permutations(teacher_ids))
            priorities[pid] = order[: draw(st.integers(0, len(order)))]
    return problem(posts, teachers, priorities, draw(st.booleans()))


def _stable_assignments(p: Problem, rank):
    seats = {post.id: post.seats for post in p.posts}
    options = []
    for t in p.teachers:
        acceptable = [post for post in t.preferences if t.id in rank.get(post, {})]
        options.append([None, *acceptable])
    for choice in itertools.product(*options):
        assignment = {t.id: c for t, c in zip(p.teachers, choice, strict=True)}
        if is_valid(p, assignment, rank, seats):
            yield assignment


def is_valid(p, assignment, rank, seats) -> bool:
    """Capacity, acceptability and no blocking pair."""
    holders = {post: [t for t, a in assignment.items() if a == post] for post in seats}
    if any(len(h) > seats[post] for post, h in holders.items()):
        return False
    prefs = {t.id: list(t.preferences) for t in p.teachers}
    for t, post in assignment.items():
        if post is not None and (post not in prefs[t] or t not in rank.get(post, {})):
            return False
    for t in prefs:
        current = assignment[t]
        better = prefs[t] if current is None else prefs[t][: prefs[t].index(current)]
        for post in better:
            if t not in rank.get(post, {}):
                continue
            if len(holders[post]) < seats[post]:
                return False
            if any(rank[post][t] < rank[post][other] for other in holders[post]):
                return False
    return True


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_result_is_stable_and_teacher_optimal(p):
    from recruitment.allocation import effective_priorities

    rank = {post: {t: r for r, t in enumerate(order)}
            for post, order in effective_priorities(p).items()}
    result = allocate(p).assignment
    seats = {post.id: post.seats for post in p.posts}
    assert set(result) == {t.id for t in p.teachers}
    assert is_valid(p, result, rank, seats)
    prefs = {t.id: list(t.preferences) for t in p.teachers}

    def position(t, post):
        return len(prefs[t]) if post is None else prefs[t].index(post)

    for stable in _stable_assignments(p, rank):
        for t in prefs:
            assert position(t, result[t]) <= position(t, stable[t])


# --- input checks and the command ----------------------------------------------------


GOOD = {
    "posts": [{"id": "S001-03", "school": "S001", "seats": 1}],
    "teachers": [{"id": "T00017", "school": "S004", "preferences": ["S001-03"]}],
    "priorities": {"S001-03": ["T00017"]},
    "own_staff_first": False,
}


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (lambda d: d.pop("posts"), "missing key: posts"),
        (lambda d: d["teachers"][0]["preferences"].append("S999"),
         "teacher T00017: unknown post S999 in preferences"),
        (lambda d: d["teachers"][0]["preferences"].append("S001-03"),
         "teacher T00017: post S001-03 is listed twice in preferences"),
        (lambda d: d["posts"][0].update(seats=-1), "post S001-03: seats below 0 (-1)"),
        (lambda d: d["priorities"].update({"S001-03": ["T99"]}),
         "priorities of S001-03: unknown teacher T99"),
        (lambda d: d["priorities"].update({"S404": []}), "priorities: unknown post S404"),
        (lambda d: d["teachers"][0].pop("school"), "teachers[0]: missing key: school"),
    ],
)
def test_each_malformed_input_is_named(change, line):
    data = json.loads(json.dumps(GOOD))
    change(data)
    with pytest.raises(AllocationInputError) as caught:
        parse(data)
    assert line in caught.value.problems


def test_every_problem_is_reported_at_once():
    data = json.loads(json.dumps(GOOD))
    data["posts"][0]["seats"] = -2
    data["teachers"][0]["preferences"] = ["X", "Y"]
    with pytest.raises(AllocationInputError) as caught:
        parse(data)
    assert len(caught.value.problems) == 3


def test_the_command_writes_the_result(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(GOOD))
    out = tmp_path / "out.json"
    call_command("allocate", str(source), "--output", str(out))
    assert json.loads(out.read_text())["assignment"] == {"T00017": "S001-03"}


def test_the_command_exits_2_with_one_line_per_problem(tmp_path, capsys):
    data = json.loads(json.dumps(GOOD))
    data["posts"][0]["seats"] = -1
    data["teachers"][0]["preferences"] = ["S001-03", "S001-03"]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as caught:
        call_command("allocate", str(source))
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "post S001-03: seats below 0 (-1)",
        "teacher T00017: post S001-03 is listed twice in preferences",
    ]

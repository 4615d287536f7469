"""The allocation engine (统一调配) of spec/matching.md. Pure: no ORM, no Django.

Teacher-proposing deferred acceptance (Gale–Shapley with capacities): the result is
the teacher-optimal stable assignment, unique, and truthful for teachers. Each post
keeps the applicants it holds in a heap keyed by its own ranking, so a proposal costs
O(log seats); 20,000 teachers with 10 preferences each run in well under a second.
"""

import heapq
from collections import deque
from dataclasses import dataclass, field


class AllocationInputError(ValueError):
    """The input is malformed; ``problems`` lists every problem, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Post:
    id: str
    school: str | None
    seats: int


@dataclass(frozen=True)
class Teacher:
    id: str
    school: str | None
    preferences: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    posts: tuple[Post, ...]
    teachers: tuple[Teacher, ...]
    priorities: dict[str, tuple[str, ...]]
    own_staff_first: bool = False


@dataclass
class SchoolFigures:
    seats: int = 0
    filled: int = 0
    own_staff: int = 0


@dataclass
class Result:
    assignment: dict[str, str | None]
    schools: dict[str, SchoolFigures] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "assignment": self.assignment,
            "schools": {
                school: {"seats": f.seats, "filled": f.filled, "own_staff": f.own_staff}
                for school, f in self.schools.items()
            },
        }


def effective_priorities(problem: Problem) -> dict[str, list[str]]:
    """Each post's ranking; with own_staff_first (R5, 大稳小调) its own school's teachers
    come first, the committee's order kept within each group."""
    if not problem.own_staff_first:
        return {post: list(order) for post, order in problem.priorities.items()}
    school_of_post = {p.id: p.school for p in problem.posts}
    school_of_teacher = {t.id: t.school for t in problem.teachers}
    ranked = {}
    for post, order in problem.priorities.items():
        home = school_of_post[post]
        own = [t for t in order if home is not None and school_of_teacher.get(t) == home]
        others = [t for t in order if home is None or school_of_teacher.get(t) != home]
        ranked[post] = own + others
    return ranked


def allocate(problem: Problem) -> Result:
    """The teacher-optimal stable assignment."""
    seats = {p.id: p.seats for p in problem.posts}
    rank = {
        post: {teacher: r for r, teacher in enumerate(order)}
        for post, order in effective_priorities(problem).items()
    }
    preferences = {t.id: t.preferences for t in problem.teachers}
    next_choice = dict.fromkeys(preferences, 0)
    # post → heap of (-rank, teacher): the worst held applicant on top.
    held: dict[str, list[tuple[int, str]]] = {p.id: [] for p in problem.posts}
    free = deque(t.id for t in problem.teachers)
    while free:
        teacher = free.popleft()
        prefs = preferences[teacher]
        while next_choice[teacher] < len(prefs):
            post = prefs[next_choice[teacher]]
            next_choice[teacher] += 1
            r = rank.get(post, {}).get(teacher)
            if r is None or seats[post] == 0:
                continue  # the post does not accept this teacher
            heap = held[post]
            if len(heap) < seats[post]:
                heapq.heappush(heap, (-r, teacher))
                break
            worst_rank, worst = -heap[0][0], heap[0][1]
            if r < worst_rank:
                heapq.heapreplace(heap, (-r, teacher))
                free.append(worst)
                break
    assignment: dict[str, str | None] = dict.fromkeys(preferences)
    for post, heap in held.items():
        for _r, teacher in heap:
            assignment[teacher] = post
    return Result(assignment=assignment, schools=school_figures(problem, assignment))


def school_figures(problem: Problem, assignment: dict[str, str | None]) -> dict:
    """Per school: seats of its posts, seats filled, and filled by its own staff (R5)."""
    post_school = {p.id: p.school for p in problem.posts}
    teacher_school = {t.id: t.school for t in problem.teachers}
    figures: dict[str, SchoolFigures] = {}
    for post in problem.posts:
        if post.school is not None:
            figures.setdefault(post.school, SchoolFigures()).seats += post.seats
    for teacher, post in assignment.items():
        school = post_school.get(post) if post else None
        if school is None:
            continue
        figures[school].filled += 1
        if teacher_school.get(teacher) == school:
            figures[school].own_staff += 1
    return figures


# --- the JSON contract ---------------------------------------------------------------


def _id(value) -> bool:
    return isinstance(value, str) and value != ""


def parse(data) -> Problem:
    """Check a decoded JSON input against spec/matching.md; every problem is reported."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise AllocationInputError(["the input must be a JSON object"])
    for key in ("posts", "teachers", "priorities"):
        if key not in data:
            problems.append(f"missing key: {key}")
    if problems:
        raise AllocationInputError(problems)
    own_first = data.get("own_staff_first", False)
    if not isinstance(own_first, bool):
        problems.append("own_staff_first must be true or false")
    posts: list[Post] = []
    post_records = _records(data, "posts", "post", "seats", problems)
    for pid, school, item in post_records:
        seats = item["seats"]
        if isinstance(seats, bool) or not isinstance(seats, int):
            problems.append(f"post {pid}: seats must be a whole number")
        elif seats < 0:
            problems.append(f"post {pid}: seats below 0 ({seats})")
        posts.append(Post(pid, school, seats if isinstance(seats, int) else 0))
    post_ids = {pid for pid, _school, _item in post_records}
    teachers: list[Teacher] = []
    teacher_records = _records(data, "teachers", "teacher", "preferences", problems)
    for tid, school, item in teacher_records:
        prefs = item["preferences"]
        if not isinstance(prefs, list) or not all(_id(p) for p in prefs):
            problems.append(f"teacher {tid}: preferences must be a list of post ids")
            continue
        seen: set[str] = set()
        for post in prefs:
            if post in seen:
                problems.append(f"teacher {tid}: post {post} is listed twice in preferences")
            seen.add(post)
        teachers.append(Teacher(tid, school, tuple(prefs)))
    teacher_ids = {tid for tid, _school, _item in teacher_records}
    for teacher in teachers:
        for post in dict.fromkeys(teacher.preferences):
            if post not in post_ids:
                problems.append(f"teacher {teacher.id}: unknown post {post} in preferences")
    priorities: dict[str, tuple[str, ...]] = {}
    if not isinstance(data["priorities"], dict):
        problems.append("priorities must be an object mapping post ids to teacher ids")
    else:
        for post, order in data["priorities"].items():
            if post not in post_ids:
                problems.append(f"priorities: unknown post {post}")
                continue
            if not isinstance(order, list) or not all(_id(t) for t in order):
                problems.append(f"priorities of {post}: must be a list of teacher ids")
                continue
            seen = set()
            for teacher in order:
                if teacher not in teacher_ids:
                    problems.append(f"priorities of {post}: unknown teacher {teacher}")
                elif teacher in seen:
                    problems.append(f"priorities of {post}: teacher {teacher} is listed twice")
                seen.add(teacher)
            priorities[post] = tuple(order)
    if problems:
        raise AllocationInputError(problems)
    return Problem(tuple(posts), tuple(teachers), priorities, own_first)


def _records(data: dict, key: str, noun: str, field: str, problems: list[str]) -> list:
    """The entries of ``data[key]`` that are objects with ``id``, ``school`` and
    ``field``, a non-empty id seen once and a school that is a string or null, as
    (id, school, entry); a problem is reported for every other."""
    if not isinstance(data[key], list):
        problems.append(f"{key} must be a list")
        return []
    records, ids = [], set()
    for i, item in enumerate(data[key]):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        missing = [k for k in ("id", "school", field) if k not in item]
        if missing:
            problems.append(f"{where}: missing key: {', '.join(missing)}")
            continue
        rid, school = item["id"], item["school"]
        if not _id(rid):
            problems.append(f"{where}: id must be a non-empty string")
            continue
        if rid in ids:
            problems.append(f"{where}: {noun} {rid} is listed twice")
            continue
        ids.add(rid)
        if school is not None and not _id(school):
            problems.append(f"{noun} {rid}: school must be a string or null")
        records.append((rid, school, item))
    return records


# --- why a preference was not met ----------------------------------------------------

NOT_LISTED, NO_SEATS, OWN_STAFF_FIRST, RANKED_HIGHER = (
    "not_listed", "no_seats", "own_staff_first", "ranked_higher")


@dataclass(frozen=True)
class Unmet:
    """A preference a teacher ranked above where they ended, and why they did not get it:
    ``not_listed`` (the post's ranking does not list them), ``no_seats``,
    ``own_staff_first`` (the committee ranked them above someone the post holds, but
    R5 put the post's own staff first), ``ranked_higher`` (``held`` applicants the post
    ranks higher fill its seats)."""

    teacher: str
    post: str
    reason: str
    held: int = 0


def unmet_preferences(problem: Problem, result: Result) -> list[Unmet]:
    """For every teacher, each preference above their assignment (all of them when
    unplaced), with its reason. Stability makes ``ranked_higher`` exact: a post a teacher
    prefers is full of applicants it ranks higher."""
    seats = {p.id: p.seats for p in problem.posts}
    effective = {post: {t: r for r, t in enumerate(order)}
                 for post, order in effective_priorities(problem).items()}
    committee = {post: {t: r for r, t in enumerate(order)}
                 for post, order in problem.priorities.items()}
    holders: dict[str, list[str]] = {}
    for teacher, post in result.assignment.items():
        if post is not None:
            holders.setdefault(post, []).append(teacher)
    unmet = []
    for teacher in problem.teachers:
        got = result.assignment.get(teacher.id)
        for post in teacher.preferences:
            if post == got:
                break
            if teacher.id not in effective.get(post, {}):
                unmet.append(Unmet(teacher.id, post, NOT_LISTED))
            elif seats[post] == 0:
                unmet.append(Unmet(teacher.id, post, NO_SEATS))
            else:
                held = holders.get(post, [])
                mine = committee[post][teacher.id]
                reason = (OWN_STAFF_FIRST if any(committee[post][h] > mine for h in held)
                          else RANKED_HIGHER)
                unmet.append(Unmet(teacher.id, post, reason, len(held)))
    return unmet

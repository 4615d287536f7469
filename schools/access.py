"""Who may see and act on what: the one place every selector and view asks.

Roles come from a login's memberships (county office, township office, liaison,
principal) and from its link to a staff record (teacher). Every page that lists or
shows organisations or people goes through a queryset scoped here; a lookup by id
that skips it is a leak (STYLE.md, "Access is a function").

Memberships live in ``schools`` beside the organisations they point at, so these
functions live here rather than in ``staffing/``: every other app may use ``schools``.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from . import resident_id
from .models import Membership, Role, School, Staff, Township


@dataclass(frozen=True)
class Scope:
    """What one login covers, read once per request from its memberships."""

    superuser: bool = False
    county_ids: frozenset = field(default_factory=frozenset)
    township_ids: frozenset = field(default_factory=frozenset)  # township office
    liaison_school_ids: frozenset = field(default_factory=frozenset)
    principal_school_ids: frozenset = field(default_factory=frozenset)
    staff_id: int | None = None  # the login's own staff record (teacher)

    @property
    def is_office(self) -> bool:
        return self.superuser or bool(self.county_ids or self.township_ids)

    @property
    def is_liaison(self) -> bool:
        return bool(self.liaison_school_ids)

    @property
    def is_principal(self) -> bool:
        return bool(self.principal_school_ids)

    @property
    def is_teacher(self) -> bool:
        return self.staff_id is not None

    @property
    def reviews_staff(self) -> bool:
        """May read personnel records beyond their own (office, liaison, principal)."""
        return self.is_office or self.is_liaison or self.is_principal


def scope_of(user) -> Scope:
    """The login's scope, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_staffing_scope", None)
    if cached is not None:
        return cached
    groups: dict[str, set] = {role: set() for role in Role.values}
    for role, county, township, school in Membership.objects.filter(user=user).values_list(
        "role", "county_id", "township_id", "school_id"
    ):
        groups[role].add(county or township or school)
    staff_id = Staff.objects.filter(user=user).values_list("pk", flat=True).first()
    scope = Scope(
        superuser=user.is_superuser,
        county_ids=frozenset(groups[Role.COUNTY_OFFICE]),
        township_ids=frozenset(groups[Role.TOWNSHIP_OFFICE]),
        liaison_school_ids=frozenset(groups[Role.LIAISON]),
        principal_school_ids=frozenset(groups[Role.PRINCIPAL]),
        staff_id=staff_id,
    )
    user._staffing_scope = scope
    return scope


def townships_managed(user) -> QuerySet[Township]:
    """Townships whose office work (imports, the cycle) this login may do."""
    scope = scope_of(user)
    if scope.superuser:
        return Township.objects.all()
    return Township.objects.filter(Q(pk__in=scope.township_ids) | Q(county_id__in=scope.county_ids))


def schools_reviewed(user) -> QuerySet[School]:
    """Schools whose staff records this login may read: office, liaison, principal."""
    scope = scope_of(user)
    if scope.superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(township_id__in=scope.township_ids)
        | Q(township__county_id__in=scope.county_ids)
        | Q(pk__in=scope.liaison_school_ids | scope.principal_school_ids)
    )


def staff_visible(user) -> QuerySet[Staff]:
    """Staff records this login may read: those of reviewed schools, and one's own."""
    scope = scope_of(user)
    if scope.superuser:
        return Staff.objects.all()
    own = Staff.objects.filter(pk=scope.staff_id) if scope.staff_id else Staff.objects.none()
    if not scope.reviews_staff:
        return own
    return Staff.objects.filter(
        Q(school__in=schools_reviewed(user).values("pk")) | Q(pk=scope.staff_id)
    )


def may_see_full_id(user, staff: Staff) -> bool:
    """Full resident IDs are for the office that keeps the roster, and for oneself."""
    scope = scope_of(user)
    if staff.pk == scope.staff_id:
        return True
    return may_see_full_ids_of(user, staff.school.township_id)


def may_see_full_ids_of(user, township_id) -> bool:
    """Whether this login sees the full IDs of a township's staff (its office's)."""
    scope = scope_of(user)
    return scope.is_office and townships_managed(user).filter(pk=township_id).exists()


# A search by ID takes exactly the last four characters, the part the masked ID shows,
# so that no search reveals more of a number than the page does; or the whole number,
# for those who may see it. Nothing in between: a longer tail, one digit at a time, is
# an oracle that spells out the hidden birth date.
_ID_TAIL = re.compile(r"[0-9]{3}[0-9X]")
_ID_FULL = re.compile(r"[0-9]{17}[0-9X]")


def id_search_q(user, query: str, *, prefix: str = "") -> Q:
    """The condition a search ``query`` puts on resident IDs, ``prefix`` leading to a
    ``Staff`` (``"staff__"`` from an intention): four characters match the last four
    exactly; a whole 18-character number matches only staff whose full ID this login
    may see (their township's office, oneself). Anything else is no condition on the
    ID at all: an empty ``Q()``, to be OR-ed with the search's other fields."""
    number = resident_id.normalize(query)
    if _ID_TAIL.fullmatch(number):
        return Q(**{f"{prefix}resident_id__endswith": number})
    if not _ID_FULL.fullmatch(number):
        return Q()
    exact = Q(**{f"{prefix}resident_id": number})
    scope = scope_of(user)
    if scope.superuser:
        return exact
    seen = Q()
    if scope.staff_id:
        seen |= Q(**{f"{prefix}pk": scope.staff_id})
    if scope.is_office:
        seen |= Q(**{f"{prefix}school__township__in": townships_managed(user).values("pk")})
    return exact & seen if seen else Q()


def logins_administered(user) -> QuerySet:
    """Logins whose lockout this login may lift (issue 14): every one for a superuser;
    for an office, those of its townships' staff and of the memberships over its
    townships and their schools (and, for a county office, over its county). Logins
    tied to none of these (a bureau guest voter) are the superuser's."""
    model = get_user_model()
    scope = scope_of(user)
    if scope.superuser:
        return model.objects.all()
    if not scope.is_office:
        return model.objects.none()
    townships = townships_managed(user).values("pk")
    return model.objects.filter(
        Q(staff_profile__school__township__in=townships)
        | Q(memberships__township__in=townships)
        | Q(memberships__school__township__in=townships)
        | Q(memberships__county__in=scope.county_ids)
    ).distinct()


def require_office(user) -> Scope:
    scope = scope_of(user)
    if not scope.is_office:
        raise PermissionDenied
    return scope


def may_use_admin(user) -> bool:
    """The Django admin is for office staff and superusers only."""
    return user.is_active and user.is_staff and scope_of(user).is_office

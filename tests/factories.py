"""factory-boy factories for organisations, staff and logins."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from schools import resident_id
from schools.models import County, Membership, Role, School, SchoolKind, Staff, Township


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = "宁阳县"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}完小")
    kind = SchoolKind.COMPLETE_PRIMARY
    remote = False
    establishment = 20
    post_count = 20


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-12345")


def _resident_id(n: int) -> str:
    born = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    return resident_id.make("370921", born, n, resident_id.MALE if n % 2 else resident_id.FEMALE)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    resident_id = factory.Sequence(_resident_id)
    name = factory.Sequence(lambda n: f"教师{n}")
    sex = factory.LazyAttribute(lambda o: resident_id.parse(o.resident_id).sex)
    birth_date = factory.LazyAttribute(lambda o: resident_id.parse(o.resident_id).birth_date)
    school = factory.SubFactory(SchoolFactory)
    subject = "语文"
    title = "一级教师"


def membership(user, role, target):
    """Give ``user`` ``role`` over ``target`` (a county, township or school)."""
    field = {
        Role.COUNTY_OFFICE: "county",
        Role.TOWNSHIP_OFFICE: "township",
        Role.LIAISON: "school",
        Role.PRINCIPAL: "school",
    }[role]
    return Membership.objects.create(user=user, role=role, **{field: target})

"""Users, agencies and roles for tests."""

import factory

from sanpin.accounts.choices import AgencyLevel
from sanpin.accounts.models import Agency, RoleAssignment, User

PASSWORD = "sanpin-test-pass"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试工作机构{n}")
    level = AgencyLevel.PROVINCE


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=["provincial_reviewer"], agency=...)`."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            RoleAssignment.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("roles", None)  # drop the cached_property

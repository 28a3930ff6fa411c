import factory

from tests.factories import AreaFactory, DepartmentFactory, StaffMembershipFactory, UserFactory
from tests.roles import _with_totp
from tillsammans.accounts.models import Capability
from tillsammans.ideas.models import Idea
from tillsammans.ideas.services.ideas import status_token_hash


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea {n}")
    what = "A repair café in the library on Saturdays."
    area = factory.SubFactory(AreaFactory)
    submitter_name = "Maja Idésson"
    email = factory.Sequence(lambda n: f"maja{n}@example.se")
    status_token_hash = factory.Sequence(lambda n: status_token_hash(f"token-{n}"))


def coach(email="coach2@kommun.example.se"):
    user = UserFactory(email=email, verified=True)
    StaffMembershipFactory(
        user=user,
        department=DepartmentFactory(slug="socialforvaltningen"),
        capability=Capability.COACH,
    )
    return _with_totp(user)

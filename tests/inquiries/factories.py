import factory

from tests.factories import AreaFactory, DepartmentFactory
from tillsammans.inquiries.models import Category


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_sv = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    area = factory.SubFactory(AreaFactory)
    department = factory.SubFactory(DepartmentFactory, slug="socialforvaltningen")
    is_active = True


def submit(**overrides):
    from tillsammans.inquiries.services.inquiries import inquiry_submit

    arguments = {
        "category": overrides.pop("category", None) or CategoryFactory(),
        "text": "Gatlampan vid busshållplatsen är trasig.",
        "name": "Anna Andersson",
        "phone": "070-123 45 67",
        "email": "anna@example.se",
    }
    arguments.update(overrides)
    return inquiry_submit(**arguments)

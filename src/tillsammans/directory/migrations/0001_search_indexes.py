"""GIN indexes for full-text search in Swedish, on PostgreSQL only.

The indexes belong to the activities and organisations tables but serve the
directory, so they are made here, outside the migration state (no model
declares them). Each is built from the same expression the selectors query
with (``selectors.activity_search_vector``/``organization_search_vector``),
so the SQL is identical and PostgreSQL can use the index. On SQLite, which
searches with LIKE, nothing happens.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from tillsammans.directory.selectors import activity_search_vector, organization_search_vector

INDEXES = [
    ("activities", "Activity", "directory_activity_fts", activity_search_vector),
    ("organizations", "Organization", "directory_organization_fts", organization_search_vector),
]


def _index(name, vector):
    return GinIndex(vector(), name=name)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, vector in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model_name), _index(name, vector))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, vector in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model_name), _index(name, vector))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

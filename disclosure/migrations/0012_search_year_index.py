"""The search index holds each document's publication year beside its vector (btree_gin), so a search
can ask the GIN index for the newest years' candidates alone (`search.RECENT_YEARS`). PostgreSQL only:
elsewhere search is a substring scan and no index is made."""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

# The expression must be written exactly as `disclosure.search.PUBLISHED_YEAR_SQL` writes it (a test
# holds them equal): PostgreSQL uses the index only for the same expression.
PUBLISHED_YEAR = "((date_part('year', published_at AT TIME ZONE 'Asia/Shanghai'))::integer)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS document_search_year_idx ON disclosure_document "
            f"USING gin (search_vector, {PUBLISHED_YEAR})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_search_year_idx")


class Migration(migrations.Migration):

    dependencies = [("disclosure", "0011_queue_keyset_indexes")]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(model_name="document", name="document_search_idx"),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

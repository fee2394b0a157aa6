"""Text search storage: a GIN index on PostgreSQL, an FTS5 table on SQLite (see activities/search.py)."""

from django.db import migrations

FTS_TABLE = "activities_listing_fts"
GIN_INDEX = "listing_search_stems_gin"


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The same expression as search.SearchVector("search_stems", config="simple"), so the
        # planner can use the index for the @@ filter.
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON activities_listing "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_stems, ''::text)))"
        )
    elif vendor == "sqlite":
        # rowid = listing id; "heading" holds the title and summary terms, "body" the rest.
        # The terms are already casefolded and stemmed; keeping diacritics keeps ä, ö and å apart.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} "
            "USING fts5(heading, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        # search_stems is "heading terms\nbody terms"; copy whatever is already indexed.
        schema_editor.execute(
            "INSERT INTO activities_listing_fts (rowid, heading, body) "
            "SELECT id, substr(search_stems, 1, instr(search_stems, char(10)) - 1), "
            "substr(search_stems, instr(search_stems, char(10)) + 1) "
            "FROM activities_listing WHERE search_stems != ''"
        )


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]

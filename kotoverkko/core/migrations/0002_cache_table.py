"""Create the database cache table with the schema, so `migrate` alone gives a working site.

The cache carries sign-in throttling counts and short-lived lookups; without Redis it lives in
the database (settings.CACHES). `createcachetable` does nothing when no database cache is set.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

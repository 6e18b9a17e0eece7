from django.apps import AppConfig
from django.db.models.signals import pre_migrate


def create_extensions(using="default", **kwargs):
    """The extensions the PostgreSQL zoo needs, before its tables are made (tests run without migrations, so
    no HStoreExtension operation does it)."""
    from django.contrib.postgres.signals import get_citext_oids, get_hstore_oids, register_type_handlers
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS hstore")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS citext")
    get_hstore_oids.cache_clear()
    get_citext_oids.cache_clear()
    register_type_handlers(connection)


class ZooPgConfig(AppConfig):
    name = "tests.zoo_pg"
    label = "zoo_pg"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        pre_migrate.connect(create_extensions, sender=self, dispatch_uid="zoo_pg.create_extensions")

from django.apps import AppConfig


class WriteappConfig(AppConfig):
    name = "tests.writeapp"
    label = "writeapp"
    default_auto_field = "django.db.models.BigAutoField"

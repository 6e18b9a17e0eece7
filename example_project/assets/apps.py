from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "example_project.assets"
    label = "assets"
    default_auto_field = "django.db.models.BigAutoField"

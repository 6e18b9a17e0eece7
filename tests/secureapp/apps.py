from django.apps import AppConfig


class SecureappConfig(AppConfig):
    name = "tests.secureapp"
    label = "secureapp"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "yanzhen.ops"
    label = "ops"
    # No verbose name to translate: the app has no models and no pages, only console commands.

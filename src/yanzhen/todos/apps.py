from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodosConfig(AppConfig):
    name = "yanzhen.todos"
    label = "todos"
    verbose_name = _("To-dos and reminders")

    def ready(self) -> None:
        # The rules over the apps installed with this one register themselves here (todos.rules); another app
        # registers its own from its AppConfig.ready (see todos.registry).
        from yanzhen.todos import rules

        rules.register_all()

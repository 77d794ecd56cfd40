"""Configurable vocabularies (村类型, 产业, 来源, 特长 ...): small models with `name` and `order`.

Apps register their vocabulary models in `VOCABULARIES`; one set of pages lists, adds, renames and removes
entries for the organisation department's administrators. An entry in use is never deleted (it is reported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.text import normalise

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


@dataclass(frozen=True)
class Vocabulary:
    key: str
    model_label: str  # "app_label.ModelName"

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)


VOCABULARIES = [
    Vocabulary("village-tags", "divisions.VillageTag"),
    Vocabulary("industries", "divisions.Industry"),
    Vocabulary("sources", "people.Source"),
    Vocabulary("skills", "people.Skill"),
    Vocabulary("negative-list", "candidacies.NegativeListItem"),
    Vocabulary("review-departments", "elections.ReviewDepartment"),
]


def get_vocabulary(key: str) -> Vocabulary | None:
    return next((v for v in VOCABULARIES if v.key == key), None)


def _check(actor: User) -> None:
    if not actor.has_role(Role.ADMIN, Role.SYSTEM_ADMIN):
        raise PermissionDenied


def _usage(entry: models.Model) -> int:
    """How many records point at this entry, through any foreign key or many-to-many field."""
    used = 0
    for relation in entry._meta.related_objects:
        related = relation.related_model
        if (related._meta.model_name or "").startswith("historical"):
            continue
        used += related._base_manager.filter(**{relation.field.name: entry}).count()
    return used


@transaction.atomic
def add_entry(*, actor: User, vocabulary: Vocabulary, name: str) -> models.Model:
    _check(actor)
    name = normalise(name)  # "电商" and "电商" + a zero-width space are one name
    if not name:
        raise ValidationError({"name": "名称不能为空"})
    if len(name) > 30:
        raise ValidationError({"name": "名称不能超过 30 个字"})
    model = vocabulary.model
    if model._default_manager.filter(name=name).exists():
        raise ValidationError({"name": f"“{name}”已存在"})
    order = (model._default_manager.aggregate(models.Max("order"))["order__max"] or 0) + 1
    try:
        return model._default_manager.create(name=name, order=order)
    except IntegrityError:
        raise ValidationError({"name": f"“{name}”已存在"}) from None


@transaction.atomic
def remove_entry(*, actor: User, vocabulary: Vocabulary, entry_id: int) -> None:
    _check(actor)
    entry = vocabulary.model._default_manager.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    used = _usage(entry)
    if used:
        raise ValidationError(
            {"name": f"“{entry.serializable_value('name')}”正被 {used} 条记录使用，不能删除"}
        )
    entry.delete()


def entries_with_usage(vocabulary: Vocabulary) -> list[tuple[models.Model, int]]:
    return [(entry, _usage(entry)) for entry in vocabulary.model._default_manager.all()]

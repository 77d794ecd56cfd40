"""The seat page's two small forms: the order of the successors (moved up or down one place, or cleared) and
the emergency cover."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.ids import parse_id
from yanzhen.core.text import NormalisedFormField


def _id_or_none(value) -> int | None:
    if value in (None, ""):
        return None
    found = parse_id(value)
    if found is None:
        raise forms.ValidationError("编号无效")
    return found


class OrderForm(StyledForm):
    """`order` is the order shown (candidacy ids, comma separated); `up` or `down` names the one to move;
    `reset` clears the saved order."""

    order = NormalisedFormField(required=False, max_length=2000)
    up = NormalisedFormField(required=False, max_length=20)
    down = NormalisedFormField(required=False, max_length=20)
    reset = forms.BooleanField(required=False)

    def clean_order(self) -> list[int]:
        ids = [_id_or_none(part) for part in self.cleaned_data["order"].split(",") if part.strip()]
        return [pk for pk in ids if pk is not None]

    def clean_up(self) -> int | None:
        return _id_or_none(self.cleaned_data["up"])

    def clean_down(self) -> int | None:
        return _id_or_none(self.cleaned_data["down"])

    def new_order(self) -> list[int]:
        if self.cleaned_data["reset"]:
            return []
        order = list(self.cleaned_data["order"])
        for name, step in (("up", -1), ("down", 1)):
            moved = self.cleaned_data[name]
            if moved in order:
                place = order.index(moved)
                other = place + step
                if 0 <= other < len(order):
                    order[place], order[other] = order[other], order[place]
        return order


class CoverForm(StyledForm):
    candidacy = NormalisedFormField(label=_("emergency cover"), required=False, max_length=20)

    def clean_candidacy(self) -> int | None:
        return _id_or_none(self.cleaned_data["candidacy"])

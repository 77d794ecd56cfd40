"""The form of a year's schedule: it only parses input; the rules and their Chinese messages are in
`services.save_year` and `lines`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.forms import CompactForm, DateInput
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedFormField


class HolidayYearForm(CompactForm):
    published_at = forms.DateField(
        label=_("published on"),
        required=False,
        widget=DateInput,
        help_text=_("The date of the State Council's notice of the year's holidays."),
    )
    lines = NormalisedFormField(
        max_length=LONG_TEXT_MAX,
        label=_("holidays and make-up working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "One period a line: the dates, the holiday and 放假 or 上班, e.g. “2027-01-01 至 2027-01-03 元旦 放假” "
            "or “2027-02-14 春节 上班”. Days not listed follow the week: Monday to Friday worked."
        ),
    )

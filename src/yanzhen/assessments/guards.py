"""The checks of 管's writes that are its own (the rest is `core.guards`: today, raise_errors, attribute_to):
the person re-read in the actor's jurisdiction with his village, an uploaded document, a required text (scores: `assessments.dimensions`). Shared
by the modules of `services`."""

from __future__ import annotations

from django.http import Http404

from yanzhen.core import uploads
from yanzhen.core.text import LONG_TEXT_MAX
from yanzhen.people.models import Person

TEXT_MAX = LONG_TEXT_MAX  # characters of a free text (report, evidence, note): core.text


def visible_person(actor, person: Person) -> Person:
    """The person re-read inside the actor's jurisdiction, else 404."""
    found = Person.objects.restrict(actor).select_related("village").filter(pk=person.pk).first()
    if found is None:
        raise Http404
    return found


def check_upload(errors: dict[str, str], field: str, label: str, uploaded_file) -> str:
    """PDF, JPG, PNG, Word or Excel up to 10 MB, checked by extension and content (the archive's rules).
    Returns the content type."""
    if uploaded_file is None:
        return ""
    refused = uploads.document_error(uploaded_file, label)
    if refused:
        errors[field] = refused
        return ""
    return uploads.accept_document(uploaded_file)


def check_text(errors: dict[str, str], field: str, label: str, text: str) -> None:
    """A required free text (already stripped) of at most `TEXT_MAX` characters."""
    if not text:
        errors[field] = f"请填写{label}"
    elif len(text) > TEXT_MAX:
        errors[field] = f"{label}不能超过 {TEXT_MAX} 字"

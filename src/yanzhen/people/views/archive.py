"""One person's archive (一人一档): the page, the form, the reveal of full numbers, attachments and photo, the
printable form and the .lrmx export. Views parse input and call people.services; reads go through the
user's jurisdiction, so a person outside it is 404 like a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts import reauth
from yanzhen.accounts.roles import EXPORTER_ROLES
from yanzhen.core import guards, versioning
from yanzhen.core.guards import require_editor
from yanzhen.core.history import timeline
from yanzhen.divisions.models import Division
from yanzhen.people import lrmx, selectors, services
from yanzhen.people.codes import EducationKind, Relation
from yanzhen.people.forms import EducationFormSet, FamilyFormSet, PersonForm, ResumeFormSet
from yanzhen.people.models import Attachment, Person, Source
from yanzhen.people.selectors import get_person
from yanzhen.people.services import EducationInput, FamilyInput, PersonInput, ResumeInput

# Fields of the person the timeline never shows (besides the ciphertexts and hashes core.history hides):
# kept by the service for search and statistics, not typed by anyone.
TIMELINE_EXCLUDED = ("name_pinyin", "name_initials", "highest_education", "created_at", "updated_at")


# -- reads -------------------------------------------------------------------------------------------------


def _attachment_for(user, pk: int) -> Attachment:
    """An attachment of a person inside the user's jurisdiction, else 404."""
    attachment = (
        Attachment.objects.filter(pk=pk, person__in=Person.objects.restrict(user))
        .select_related("person")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def _person_timeline(person: Person):
    entries = timeline(person, exclude=TIMELINE_EXCLUDED)
    # An m2m save leaves a "changed" record of its own; drop those that changed nothing shown.
    changed = str(dict(Person.history.model._meta.get_field("history_type").choices)["~"])
    entries = [entry for entry in entries if entry.changes or entry.kind != changed]
    # Foreign keys come back as raw keys: name them.
    names = {
        "village": lambda key: Division.objects.filter(pk=key).values_list("name", flat=True).first(),
        "source": lambda key: Source.objects.filter(pk=key).values_list("name", flat=True).first(),
    }
    for entry in entries:
        for change in entry.changes:
            if change.field == "photo":  # the stored file name says nothing to a reader
                change.old, change.new = (
                    _("(a photo)") if v != "—" else "—" for v in (change.old, change.new)
                )
            elif change.field in names:
                name_of = names[change.field]
                if change.old != "—":
                    change.old = name_of(change.old) or change.old
                if change.new != "—":
                    change.new = name_of(change.new) or change.new
    return entries


def _archive_context(request, person: Person, **extra) -> dict:
    today = guards.today()
    educations = list(person.educations.all())
    highest = next((record for record in educations if record.education == person.highest_education), None)
    village = person.village
    return {
        "person": person,
        "age": person.age(today),
        "party_years": person.party_years(today) if person.party_join_date else None,
        "educations": educations,
        "highest_education_record": highest,
        "family": list(person.family.all()),
        "resume": list(person.resume_lines.all()),
        "attachments": list(person.attachments.select_related("uploaded_by")),
        "timeline": _person_timeline(person),
        "can_edit": request.user.can_edit,
        "can_reveal": services.can_view_full_personal_data(request.user),
        "breadcrumb": village.ancestors() + [village],
        **extra,
    }


@require_GET
def archive(request, pk: int):
    person = get_person(request.user, pk)
    return render(request, "people/archive.html", _archive_context(request, person))


@require_GET
def print_form(request, pk: int):
    person = get_person(request.user, pk)
    context = _archive_context(request, person)
    context.update(
        {
            "full_time": lrmx.best_education(context["educations"], EducationKind.FULL_TIME),
            "in_service": lrmx.best_education(context["educations"], EducationKind.IN_SERVICE),
            "today": guards.today(),
        }
    )
    return render(request, "people/print.html", context)


# -- the form ----------------------------------------------------------------------------------------------


def _values(records, fields: tuple[str, ...]) -> list[dict]:
    """Each record as the initial values of a formset's form."""
    return [{name: getattr(record, name) for name in fields} for record in records]


def _formsets(request, person: Person | None):
    data = request.POST if request.method == "POST" else None
    initial: dict[str, list[dict]] = {"educations": [], "family": [], "resume": []}
    if person is not None:
        initial["educations"] = _values(
            person.educations.all(), ("kind", "education", "school", "major", "graduation_date", "degree")
        )
        initial["family"] = _values(
            person.family.all(), ("relation", "name", "birth_date", "political_status", "work_unit_and_post")
        )
        initial["resume"] = _values(person.resume_lines.all(), ("start", "end", "text"))
    return {
        "educations": EducationFormSet(data, initial=initial["educations"], prefix="educations"),
        "family": FamilyFormSet(data, initial=initial["family"], prefix="family"),
        "resume": ResumeFormSet(data, initial=initial["resume"], prefix="resume"),
    }


def _rows(formset) -> list[dict]:
    """The kept rows in the order typed: blank extra rows and rows marked for deletion are left out."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({key: value for key, value in data.items() if key != "DELETE"})
    return rows


def _person_input(form: PersonForm, formsets, person: Person | None) -> PersonInput:
    data = form.cleaned_data
    birth_date, gender = data["birth_date"], data["gender"]
    if person is not None and data["id_number"].strip():
        # A new number typed on the edit form: the date and gender left as they were follow the number.
        if "birth_date" not in form.changed_data:
            birth_date = None
        if "gender" not in form.changed_data:
            gender = ""
    phone: str | None = data["phone"]
    if person is not None:
        phone = "" if data.get("clear_phone") else (data["phone"] or None)
    return PersonInput(
        name=data["name"],
        id_number=data["id_number"],
        village=data["village"],
        political_status=data["political_status"],
        gender=gender,
        birth_date=birth_date,
        ethnicity=data["ethnicity"],
        native_place=data["native_place"],
        party_join_date=data["party_join_date"],
        degree=data["degree"],
        phone=phone,
        source=data["source"],
        skills=list(data["skills"]),
        industries=list(data["industries"]),
        skills_text=data["skills_text"],
        has_industry_experience=data["has_industry_experience"],
        rewards_and_punishments=data["rewards_and_punishments"],
        notes=data["notes"],
        educations=[
            EducationInput(
                kind=row["kind"],
                education=row["education"],
                school=row["school"],
                major=row["major"],
                graduation_date=row["graduation_date"],
                degree=row["degree"] or "0",
            )
            for row in _rows(formsets["educations"])
        ],
        family=[FamilyInput(**row) for row in _rows(formsets["family"])],
        resume=[ResumeInput(**row) for row in _rows(formsets["resume"])],
    )


SECTION_OF_KEY = {"educations": "educations", "family": "family", "resume": "resume"}


def _show_errors(invalid: ValidationError, form: PersonForm, section_errors: dict[str, list[str]]) -> None:
    for key, texts in invalid.message_dict.items():
        section = key.split(".", 1)[0]
        if key in form.fields:
            form.add_error(key, texts)
        elif section in SECTION_OF_KEY:
            section_errors[section].extend(texts)
        else:
            form.add_error(None, texts)


# Where the new-archive form may lead after saving (`?then=`): only named steps, never a URL from the request.
THEN_NOMINATE = "nominate"


# never_cache: a form that comes back with an error carries the ID number the clerk typed.
@never_cache
@require_http_methods(["GET", "POST"])
def person_form(request, pk: int | None = None):
    person = get_person(request.user, pk) if pk is not None else None
    require_editor(request.user)
    # 新建并推荐: the nomination page sends here with then=nominate; after saving, step 2 is the nomination.
    then = (
        THEN_NOMINATE
        if person is None and request.GET.get("then", request.POST.get("then")) == THEN_NOMINATE
        else ""
    )
    initial = _initial(person)
    if person is None and request.GET.get("village", "").isdigit():
        initial["village"] = request.GET["village"]  # from a village's page; the choices are scoped anyway
    if request.method == "POST":
        form = PersonForm(request.POST, user=request.user, person=person, initial=initial)
    else:
        form = PersonForm(user=request.user, person=person, initial=initial)
    if person is not None:
        versioning.track(form, person)
    formsets = _formsets(request, person)
    section_errors: dict[str, list[str]] = {"educations": [], "family": [], "resume": []}
    status = 200
    duplicate = None
    if request.method == "POST":
        saved = _save_person(request, form, formsets, person, section_errors)
        if saved is not None:
            return _after_saving(request, saved, then)
        if "id_number" in form.errors:
            # The number is already registered: lead to that archive when the user may open it. Outside his
            # jurisdiction the service's message says only that it exists, and no link is offered.
            duplicate = selectors.holder_of_id_number(
                request.user, request.POST.get("id_number", ""), exclude=person
            )
        status = 400
    return render(
        request,
        "people/form.html",
        {
            "person": person,
            "form": form,
            "formsets": formsets,
            "section_errors": section_errors,
            "relations": Relation.values,
            "then": then,
            "duplicate": duplicate,
        },
        status=status,
    )


def _save_person(request, form, formsets, person: Person | None, section_errors) -> Person | None:
    """The archive created or updated from a valid form and formsets; None (the errors on the page) else."""
    if not (form.is_valid() and all(formset.is_valid() for formset in formsets.values())):
        return None
    data = _person_input(form, formsets, person)
    try:
        if person is None:
            return services.create_person(actor=request.user, data=data)
        with versioning.saving(form, Person, pk=person.pk):
            return services.update_person(actor=request.user, person=person, data=data)
    except ValidationError as invalid:
        _show_errors(invalid, form, section_errors)
        return None


def _after_saving(request, saved: Person, then: str):
    if then == THEN_NOMINATE:
        messages.success(
            request,
            _("Archive of %(name)s saved. Step 2: the nomination.") % {"name": saved.name},
        )
        return redirect(f"{reverse('candidacies:nominate')}?person={saved.pk}")
    messages.success(request, _("Saved."))
    return redirect("people:archive", pk=saved.pk)


def _initial(person: Person | None) -> dict:
    return PersonForm.initial_for(person) if person is not None else {"ethnicity": "01", "degree": "0"}


# -- full numbers ------------------------------------------------------------------------------------------


@never_cache
@require_POST
def reveal(request, pk: int):
    """The full ID number or phone as a small fragment (HTMX), for a user with the permission; audited."""
    person = get_person(request.user, pk)
    if services.can_view_full_personal_data(request.user) and not reauth.is_recent(request):
        return reauth.ask(request, next_url=reverse("people:archive", args=[pk]))
    which = request.POST.get("field", "id_number")
    if which == "phone":
        value = services.reveal_phone(actor=request.user, person=person, request=request)
    elif which == "id_number":
        value = services.reveal_id_number(actor=request.user, person=person, request=request)
    else:
        raise Http404
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', value or "—"))


# -- attachments and photo ---------------------------------------------------------------------------------


def _upload_refused(request, person: Person, invalid: ValidationError, key: str):
    errors = [text for texts in invalid.message_dict.values() for text in texts]
    return render(
        request, "people/archive.html", _archive_context(request, person, **{key: errors}), status=400
    )


@require_POST
def attachment_upload(request, pk: int):
    person = get_person(request.user, pk)
    try:
        services.add_attachment(
            actor=request.user,
            person=person,
            title=request.POST.get("title", ""),
            uploaded_file=request.FILES.get("file"),
        )
    except ValidationError as invalid:
        return _upload_refused(request, person, invalid, "attachment_errors")
    messages.success(request, _("The attachment was added."))
    return redirect("people:archive", pk=person.pk)


@require_POST
def photo_upload(request, pk: int):
    person = get_person(request.user, pk)
    try:
        services.set_photo(actor=request.user, person=person, uploaded_file=request.FILES.get("photo"))
    except ValidationError as invalid:
        return _upload_refused(request, person, invalid, "photo_errors")
    messages.success(request, _("The photo was replaced."))
    return redirect("people:archive", pk=person.pk)


@never_cache
@require_GET
def attachment_download(request, pk: int):
    """Served through the view, after the jurisdiction check: media files are never public."""
    attachment = _attachment_for(request.user, pk)
    extension = (attachment.file.name or "").rsplit(".", 1)[-1].lower()
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=f"{attachment.title}.{extension}",
        content_type=attachment.content_type,
    )


@never_cache
@require_GET
def photo_image(request, pk: int):
    person = get_person(request.user, pk)
    if not person.photo:
        raise Http404
    extension = (person.photo.name or "").rsplit(".", 1)[-1].lower()
    try:
        stored = person.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stored, content_type="image/png" if extension == "png" else "image/jpeg")


# -- export ------------------------------------------------------------------------------------------------


@never_cache
@require_GET
def lrmx_export(request, pk: int):
    person = get_person(request.user, pk)
    if not request.user.has_role(*EXPORTER_ROLES):
        # The auditor looks but exports nothing personal (DOMAIN.md, who uses it).
        raise PermissionDenied
    if services.can_view_full_personal_data(request.user) and not reauth.is_recent(request):
        # The file carries the full ID number for this user: his password first.
        return reauth.ask(request, next_url=request.get_full_path(), download=True)
    content = lrmx.export_lrmx(actor=request.user, person=person, request=request)
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{person.name}.lrmx"
    )
    return response

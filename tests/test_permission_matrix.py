"""Every URL × every role. Adding a URL without a row here fails `test_every_url_has_a_row`.

Each row gives the path to request (with a sample code inside 花马池镇 where the URL takes one) and the
expected status per persona. 404 is what any record outside the persona's jurisdiction answers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "county", "huamachi", "dashuikeng", "cunshuji", "auditor", "outsider"]
V = "640323100200"  # a village of 花马池镇


def row(path, *statuses):
    assert len(statuses) == len(ROLES)
    return path, dict(zip(ROLES, statuses, strict=True))


# name: (path, {role: status})      anon county huamachi dashuikeng cunshuji auditor outsider
MATRIX = {
    "home": row("/", 302, 200, 200, 200, 200, 200, 200),
    "search": row("/search/?q=村", 302, 200, 200, 200, 200, 200, 200),
    "audit-log": row("/audit/", 302, 200, 403, 403, 403, 200, 200),
    "system": row("/system/", 302, 200, 403, 403, 403, 403, 200),
    "vocabulary-detail": row("/system/vocabularies/skills/", 302, 200, 403, 403, 403, 403, 200),
    "healthz": row("/healthz", 200, 200, 200, 200, 200, 200, 200),
    "division-tree": row("/divisions/", 302, 200, 200, 200, 200, 200, 200),
    "division-detail": row(f"/divisions/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "village-edit": row(f"/divisions/{V}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "login": row("/accounts/login/", 200, 302, 302, 302, 302, 302, 302),
    "logout": row("/accounts/logout/", 302, 405, 405, 405, 405, 405, 405),
    "set_language": row("/i18n/setlang/", 302, 302, 302, 302, 302, 302, 302),
    "api-v1:api-root": row("/api/v1/", 404, 404, 404, 404, 404, 404, 404),
    "api-v1:openapi-json": row("/api/v1/openapi.json", 200, 200, 200, 200, 200, 200, 200),
    "api-v1:openapi-view": row("/api/v1/docs", 200, 200, 200, 200, 200, 200, 200),
    "api-v1:get_division": row(f"/api/v1/divisions/{V}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:get_children": row(f"/api/v1/divisions/{V}/children", 401, 200, 200, 404, 200, 200, 404),
    # One person's archive: {person} and {attachment} are the known person of V (fixture `known`).
    "people:create": row("/people/new/", 302, 200, 200, 200, 403, 403, 200),
    "people:archive": row("/people/{person}/", 302, 200, 200, 404, 200, 200, 404),
    "people:edit": row("/people/{person}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "people:reveal": row("/people/{person}/reveal/", 302, 405, 405, 405, 405, 405, 405),
    "people:attachment-upload": row("/people/{person}/attachments/", 302, 405, 405, 405, 405, 405, 405),
    "people:photo": row("/people/{person}/photo/", 302, 405, 405, 405, 405, 405, 405),
    "people:photo-image": row("/people/{person}/photo/image", 302, 200, 200, 404, 200, 200, 404),
    "people:print": row("/people/{person}/print/", 302, 200, 200, 404, 200, 200, 404),
    "people:lrmx": row("/people/{person}/export.lrmx", 302, 200, 200, 404, 200, 403, 404),
    "people:attachment": row("/people/attachments/{attachment}/", 302, 200, 200, 404, 200, 200, 404),
    # The person list, its export and the persons API; create/update share the paths of list/get (GET here).
    "people:list": row("/people/", 302, 200, 200, 200, 200, 200, 200),
    "people:export": row("/people/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "api-v1:list_persons": row("/api/v1/persons", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_person": row("/api/v1/persons", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_person": row("/api/v1/persons/{person}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:update_person": row("/api/v1/persons/{person}", 401, 200, 200, 404, 200, 200, 404),
    # Village posts: {seat} and {term} are a secretary seat of V and its incumbent's term (fixture `known_post`).
    "posts:village-seats": row(f"/posts/villages/{V}/seats/", 302, 200, 200, 404, 403, 403, 404),
    "posts:appoint": row("/posts/seats/{seat}/appoint/", 302, 200, 200, 404, 403, 403, 404),
    "posts:end-term": row("/posts/terms/{term}/end/", 302, 200, 200, 404, 403, 403, 404),
    "posts:types": row("/posts/types/", 302, 200, 403, 403, 403, 403, 200),
    "posts:type-create": row("/posts/types/new/", 302, 200, 403, 403, 403, 403, 200),
    "posts:type-edit": row("/posts/types/secretary/edit/", 302, 200, 403, 403, 403, 403, 200),
    "api-v1:list_seats": row(f"/api/v1/posts?village={V}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:list_post_types": row("/api/v1/posts/types", 401, 200, 200, 200, 200, 200, 200),
    # Assessment (管): {reserve} is a reserve of V with two 不称职 (fixture `known_assessment`): his first
    # {assessment}, the {proposal} they made, a {report} and a {commendation} with files, a {campaign} of 盐池县.
    "assessments:index": row("/assessment/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:list": row("/assessment/assessments/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:create": row("/assessment/assessments/new/?person={reserve}", 302, 200, 200, 404, 200, 403, 404),
    "assessments:edit": row("/assessment/assessments/{assessment}/edit/", 302, 200, 200, 404, 200, 403, 404),
    "assessments:delete": row("/assessment/assessments/{assessment}/delete/", 302, 405, 405, 405, 405, 405, 405),
    "assessments:reports": row("/assessment/reports/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:overdue": row("/assessment/reports/overdue/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:report-create": row("/assessment/reports/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404),
    "assessments:report-detail": row("/assessment/reports/{report}/", 302, 200, 200, 404, 200, 200, 404),
    "assessments:report-attachment": row(
        "/assessment/reports/{report}/attachment", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:proposals": row("/assessment/proposals/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:proposal-detail": row("/assessment/proposals/{proposal}/", 302, 200, 200, 404, 200, 200, 404),
    "assessments:notice-board": row("/assessment/notice-board/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:campaigns": row("/assessment/campaigns/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:campaign-open": row("/assessment/campaigns/new/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:campaign-detail": row("/assessment/campaigns/{campaign}/", 302, 200, 200, 200, 200, 200, 404),
    "assessments:checkup": row(
        "/assessment/campaigns/{campaign}/people/{reserve}/", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:commendation-create": row(
        "/assessment/commendations/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:commendation-document": row(
        "/assessment/commendations/{commendation}/document", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:settings": row("/assessment/settings/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:self-service": row("/assessment/me/", 302, 403, 403, 403, 403, 403, 403),
    "api-v1:list_assessments": row("/api/v1/assessments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_assessment": row("/api/v1/assessments", 401, 200, 200, 200, 200, 200, 200),
    # Rosters: {upload} is a roster upload of the 花马池镇 clerk (fixture `staged_roster`), private to her.
    "rosters:index": row("/rosters/", 302, 200, 200, 200, 200, 200, 200),
    "rosters:upload": row("/rosters/upload/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:preview": row("/rosters/uploads/{upload}/", 302, 404, 200, 404, 404, 404, 404),
    "rosters:confirm": row("/rosters/uploads/{upload}/confirm/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:report": row("/rosters/uploads/{upload}/report.xlsx", 302, 404, 200, 404, 404, 404, 404),
    "rosters:template": row("/rosters/template.xlsx", 302, 200, 200, 200, 200, 200, 200),
    "rosters:export": row("/rosters/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "rosters:lrmx": row("/rosters/lrmx/", 302, 200, 200, 200, 403, 403, 200),
}


def url_names(resolver=None, namespace="") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_has_a_row():
    assert url_names() - {"api-v1:api-root"} <= set(MATRIX), "add the new URL to MATRIX"


@pytest.fixture
def known(settings, tmp_path, persona):
    """One known person in village V, with a photo and an attachment, for the URLs that take a pk."""
    import io
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, add_attachment, create_person, set_photo

    settings.MEDIA_ROOT = tmp_path / "media"
    county = persona("county")
    person = create_person(
        actor=county,
        data=PersonInput(
            name="马小军",
            id_number=make_id_number("640323", date(1990, 5, 12), 11),
            village=Division.objects.get(code=V),
            political_status="13",
        ),
    )
    png = io.BytesIO()
    Image.new("RGB", (30, 40), "white").save(png, format="PNG")
    set_photo(actor=county, person=person, uploaded_file=SimpleUploadedFile("photo.png", png.getvalue()))
    attachment = add_attachment(
        actor=county,
        person=person,
        title="推荐表",
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"{person}": str(person.pk), "{attachment}": str(attachment.pk)}


@pytest.fixture
def known_post(persona):
    """A secretary seat of village V held by a known person, for the posts URLs that take a pk."""
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import appoint, ensure_seats

    county = persona("county")
    village = Division.objects.get(code=V)
    person = create_person(
        actor=county,
        data=PersonInput(
            name="杨建国",
            id_number=make_id_number("640323", date(1972, 3, 8), 21),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="secretary"), count=1
    )
    term = appoint(actor=county, seat=seat, person=person, start=date(2021, 1, 15))
    return {"{seat}": str(seat.pk), "{term}": str(term.pk)}


@pytest.fixture
def staged_roster(persona):
    """A roster upload of the 花马池镇 clerk awaiting her confirmation."""
    from yanzhen.core import crypto
    from yanzhen.divisions.models import Division
    from yanzhen.rosters.importer import ImportResult
    from yanzhen.rosters.models import RosterUpload
    from yanzhen.rosters.views import to_json

    upload = RosterUpload.objects.create(
        user=persona("huamachi"),
        division=Division.objects.get(code="640323100"),
        file_name="花名册.xlsx",
        sha256="0" * 64,
        size=0,
        content_encrypted=crypto.encrypt("AA=="),
        preview=to_json(ImportResult("花名册.xlsx", "0" * 64, "640323100", "花马池镇", True)),
    )
    return {"{upload}": str(upload.pk)}


@pytest.fixture
def known_assessment(settings, tmp_path, persona):
    """A reserve of village V with two 不称职 (so a pending removal proposal), a report and a commendation with
    files, and a check-up campaign of 盐池县, for the assessment URLs that take a pk."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.assessment_helpers import assess, make_reserve
    from yanzhen.assessments import services as assessment_services
    from yanzhen.assessments.models import RemovalProposal
    from yanzhen.divisions.models import Division

    settings.MEDIA_ROOT = tmp_path / "media"
    county = persona("county")
    person, _candidacy = make_reserve(county, "韩后备", V)
    first = assess(county, person, 2022, 1, "incompetent")
    assess(county, person, 2022, 2, "incompetent")
    report = assessment_services.submit_report(
        actor=county,
        person=person,
        year=2022,
        half=1,
        text="思想工作汇报",
        attachment=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    commendation = assessment_services.add_commendation(
        actor=county,
        person=person,
        title="优秀后备干部",
        level="township",
        awarded_on=date(2023, 1, 5),
        document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    campaign = assessment_services.open_campaign(
        actor=county,
        county=Division.objects.get(code="640323"),
        title="回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )
    return {
        "{reserve}": str(person.pk),
        "{assessment}": str(first.pk),
        "{proposal}": str(RemovalProposal.objects.get(person=person).pk),
        "{report}": str(report.pk),
        "{commendation}": str(commendation.pk),
        "{campaign}": str(campaign.pk),
    }


# Which fixture fills each placeholder of a MATRIX path.
PLACEHOLDERS = {"{person}": "known", "{attachment}": "known", "{seat}": "known_post", "{term}": "known_post", "{upload}": "staged_roster"}
PLACEHOLDERS.update(
    dict.fromkeys(
        ["{reserve}", "{assessment}", "{proposal}", "{report}", "{commendation}", "{campaign}"], "known_assessment"
    )
)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(request, client, client_for, name, role):
    path, expected = MATRIX[name]
    for placeholder, fixture in PLACEHOLDERS.items():
        if placeholder in path:
            path = path.replace(placeholder, request.getfixturevalue(fixture)[placeholder])
    http = client if role == "anonymous" else client_for(role)
    assert http.get(path).status_code == expected[role], f"{role} GET {path}"

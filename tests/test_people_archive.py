"""One person's archive on the web (issue 3 §1–§4, §7): the form, the page, full numbers, attachments and
photo, the printable form and the .lrmx export. Refusals are proven to write nothing."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Attachment, Person, Skill, Source
from yanzhen.people.services import (
    EducationInput,
    FamilyInput,
    PersonInput,
    ResumeInput,
    create_person,
    set_photo,
    update_person,
)

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

NUMBER = make_id_number("640323", date(1990, 5, 12), 11)  # a man born 1990-05-12
MASKED = NUMBER[:6] + "********" + NUMBER[-4:]
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def person_data(**overrides) -> PersonInput:
    values = {
        "name": "马小军",
        "id_number": NUMBER,
        "village": Division.objects.get(code=HUAMACHI_VILLAGE),
        "political_status": "01",
        "ethnicity": "03",
        "native_place": "宁夏盐池",
        "party_join_date": date(2012, 7, 1),
        "degree": "4",
        "phone": PHONE,
        "rewards_and_punishments": "2020年被评为县级优秀共产党员",
        "educations": [
            EducationInput(
                kind="full_time",
                education="21",
                school="宁夏大学",
                major="农学专业",
                graduation_date=date(2012, 6, 30),
                degree="4",
            ),
            EducationInput(
                kind="in_service", education="14", school="中共宁夏区委党校", major="经济管理专业"
            ),
        ],
        "family": [
            FamilyInput(relation="妻子", name="李芳", birth_date=date(1991, 3, 8), political_status="13"),
            FamilyInput(relation="父亲", name="马德明", work_unit_and_post="花马池镇某村村民"),
        ],
        "resume": [
            ResumeInput(start="2008.09", end="2012.06", text="宁夏大学农学专业学习"),
            ResumeInput(start="2012.07", end="", text="花马池镇某村务农，经营滩羊养殖"),
        ],
    }
    values.update(overrides)
    return PersonInput(**values)


@pytest.fixture
def person(persona):
    return create_person(actor=persona("huamachi"), data=person_data())


def formset(prefix: str, rows: list[dict], initial: int = 0, extra: int = 1) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    # The extra row is posted as a browser posts an untouched blank row.
    for index in range(len(rows), len(rows) + extra):
        for key in {"educations": ["kind", "education", "degree"], "family": ["political_status"]}.get(
            prefix, []
        ):
            data[f"{prefix}-{index}-{key}"] = ""
    return data


def form_data(**overrides) -> dict:
    data = {
        "name": "祝心灵",
        "gender": "",
        "ethnicity": "03",
        "birth_date": "",
        "id_number": NUMBER,
        "native_place": "宁夏盐池",
        "political_status": "01",
        "party_join_date": "2012-07-01",
        "degree": "4",
        "phone": PHONE,
        "village": HUAMACHI_VILLAGE,
        "source": str(Source.objects.get(name="返乡创业青年").pk),
        "skills": [str(Skill.objects.get(name="养殖").pk), str(Skill.objects.get(name="电商").pk)],
        "industries": [str(Industry.objects.order_by("pk").first().pk)],
        "skills_text": "无人机植保",
        "has_industry_experience": "on",
        "rewards_and_punishments": "2020年被评为县级优秀共产党员",
        "notes": "",
    }
    data.update(
        formset(
            "educations",
            [
                {
                    "kind": "full_time",
                    "education": "31",
                    "school": "宁夏职业技术学院",
                    "major": "畜牧兽医",
                    "graduation_date": "2011-07-01",
                    "degree": "",
                },
                {
                    "kind": "in_service",
                    "education": "21",
                    "school": "宁夏大学",
                    "major": "农学",
                    "degree": "4",
                },
            ],
        )
    )
    data.update(
        formset(
            "family",
            [{"relation": "妻子", "name": "李芳", "birth_date": "1991-03-08", "political_status": "13"}],
        )
    )
    data.update(
        formset(
            "resume",
            [
                {"start": "2008.09", "end": "2011.07", "text": "宁夏职业技术学院畜牧兽医专业学习"},
                {"start": "2011.08", "end": "", "text": "返乡创业，经营滩羊养殖"},
            ],
        )
    )
    data.update(overrides)
    return data


# -- the form ----------------------------------------------------------------------------------------------


def test_create_through_the_form(client_for, persona):
    response = client_for("huamachi").post("/people/new/", form_data())
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get()
    assert response["Location"] == f"/people/{person.pk}/"
    assert (person.name, person.gender, person.birth_date, person.ethnicity) == (
        "祝心灵",
        "1",
        date(1990, 5, 12),
        "03",
    )
    assert (person.native_place, person.political_status, person.party_join_date, person.degree) == (
        "宁夏盐池",
        "01",
        date(2012, 7, 1),
        "4",
    )
    assert person.reveal_id_number() == NUMBER and person.id_number_masked == MASKED
    assert person.reveal_phone() == PHONE and person.phone_masked == "138****5678"
    assert person.village_id == HUAMACHI_VILLAGE and person.source.name == "返乡创业青年"
    assert sorted(person.skills.values_list("name", flat=True)) == ["电商", "养殖"] or sorted(
        person.skills.values_list("name", flat=True)
    ) == sorted(["养殖", "电商"])
    assert list(person.industries.all()) == [Industry.objects.order_by("pk").first()]
    assert (person.skills_text, person.has_industry_experience) == ("无人机植保", True)
    assert person.rewards_and_punishments == "2020年被评为县级优秀共产党员"
    assert [
        (e.kind, e.education, e.school, e.major, e.graduation_date, e.degree)
        for e in person.educations.order_by("kind")
    ] == [
        ("full_time", "31", "宁夏职业技术学院", "畜牧兽医", date(2011, 7, 1), "0"),
        ("in_service", "21", "宁夏大学", "农学", None, "4"),
    ]
    assert person.highest_education == "21"
    assert [(m.relation, m.name, m.birth_date, m.political_status) for m in person.family.all()] == [
        ("妻子", "李芳", date(1991, 3, 8), "13")
    ]
    assert [(r.order, r.start, r.end, r.text) for r in person.resume_lines.all()] == [
        (0, "2008.09", "2011.07", "宁夏职业技术学院畜牧兽医专业学习"),
        (1, "2011.08", "", "返乡创业，经营滩羊养殖"),
    ]
    assert {record.history_user for record in person.history.all()} == {persona("huamachi")}
    assert person.educations.first().history.first().history_user == persona("huamachi")


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"id_number": NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")},
            f"身份证号校验位错误：应为 {NUMBER[17]}",  # the message names the field: not repeated
        ),
        ({"birth_date": "1990-05-13"}, "出生日期 1990-05-13 与身份证号中的 1990-05-12 不一致"),
        (
            {
                "id_number": make_id_number(
                    "640323", timezone.localdate().replace(year=timezone.localdate().year - 17, day=1), 11
                )
            },
            "出生日期：未满 18 周岁，不能建档",
        ),
        ({"phone": "12345678901"}, "手机号码 12345678901 不是有效的大陆手机号（11 位，以 1 开头）"),
        ({"resume-0-start": "2008-09"}, "起始：请按 yyyy.mm 填写，例如 2015.09。"),
    ],
)
def test_bad_input_shows_the_chinese_message_and_writes_nothing(client_for, overrides, message):
    response = client_for("huamachi").post("/people/new/", form_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "身份证号：身份证号" not in page and "出生日期：出生日期" not in page and "手机：手机" not in page
    # Nothing typed is lost: the ID number and phone come back as typed, in a page nobody caches.
    assert f'value="{overrides.get("id_number", NUMBER)}"' in page
    assert f'value="{overrides.get("phone", PHONE)}"' in page
    assert "no-store" in response["Cache-Control"]
    assert Person.objects.count() == 0
    assert Person.history.count() == 0


def test_the_skill_and_industry_boxes_have_bootstraps_look(client_for):
    """Every box of 特长 and 产业 carries form-check-input (the merged form classes had left them bare)."""
    html = client_for("huamachi").get("/people/new/").content.decode()
    for name in ("skills", "industries"):
        boxes = re.findall(rf'<input type="checkbox" name="{name}" value="\d+"[^>]*>', html)
        assert boxes and all('class="form-check-input"' in box for box in boxes)


def test_form_pages_never_carry_the_full_numbers(client_for, person):
    for path in ["/people/new/", f"/people/{person.pk}/edit/"]:
        page = client_for("huamachi").get(path).content.decode()
        assert NUMBER not in page and PHONE not in page
    edit = client_for("huamachi").get(f"/people/{person.pk}/edit/").content.decode()
    assert f"留空则不修改（当前 {MASKED}）" in edit and "马小军" in edit


def edit_data(person: Person, **overrides) -> dict:
    """What the edit form posts: the stored rows (as the page lists them), some marked for deletion."""
    data = form_data(name=person.name, id_number="", phone="", source="", skills=[], industries=[])
    data = {
        key: value for key, value in data.items() if not key.startswith(("educations-", "family-", "resume-"))
    }
    delete = {"DELETE": "on"}
    educations = [
        {
            "kind": "in_service",
            "education": "14",
            "school": "中共宁夏区委党校",
            "major": "经济管理专业",
            **delete,
        },
        {
            "kind": "full_time",
            "education": "21",
            "school": "宁夏大学",
            "major": "农学专业",
            "graduation_date": "2012-06-30",
            "degree": "4",
        },
    ]
    family = [
        {"relation": "妻子", "name": "李芳", "birth_date": "1991-03-08", "political_status": "13", **delete},
        {"relation": "父亲", "name": "马德明", "work_unit_and_post": "花马池镇某村村民", **delete},
    ]
    resume = [
        {"start": "2008.09", "end": "2012.06", "text": "宁夏大学农学专业学习"},
        {"start": "2012.07", "end": "", "text": "花马池镇某村务农，经营滩羊养殖", **delete},
    ]
    data.update(formset("educations", educations, initial=2))
    data.update(formset("family", family, initial=2))
    data.update(formset("resume", resume, initial=2))
    data.update(overrides)
    return data


def test_edit_keeps_the_id_number_and_phone_when_left_empty(client_for, person, persona):
    response = client_for("huamachi").post(
        f"/people/{person.pk}/edit/", edit_data(person, political_status="02")
    )
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert person.reveal_id_number() == NUMBER and person.reveal_phone() == PHONE
    assert person.political_status == "02"
    assert [(e.kind, e.education) for e in person.educations.all()] == [("full_time", "21")]
    assert person.family.count() == 0 and person.resume_lines.count() == 1
    assert person.history.first().history_user == persona("huamachi")
    page = client_for("county").get(f"/people/{person.pk}/").content.decode()
    assert "政治面貌：<del>中共党员</del> → <ins>中共预备党员</ins>" in page


def test_edit_with_a_new_number_follows_it_and_can_remove_the_phone(client_for, person):
    woman = make_id_number("640323", date(1992, 8, 1), 12)
    response = client_for("huamachi").post(
        f"/people/{person.pk}/edit/",
        edit_data(person, id_number=woman, gender="1", birth_date="1990-05-12", clear_phone="on"),
    )
    assert response.status_code == 302, response.content.decode()
    person.refresh_from_db()
    assert (person.reveal_id_number(), person.gender, person.birth_date) == (woman, "2", date(1992, 8, 1))
    assert (person.phone_masked, person.reveal_phone()) == ("", "")


def test_service_keeps_the_stored_number_on_update(persona, person):
    update_person(
        actor=persona("county"), person=person, data=person_data(id_number="", phone=None, name="马晓军")
    )
    person.refresh_from_db()
    assert (person.name, person.reveal_id_number(), person.reveal_phone()) == ("马晓军", NUMBER, PHONE)
    update_person(actor=persona("county"), person=person, data=person_data(id_number="", phone=""))
    person.refresh_from_db()
    assert person.reveal_id_number() == NUMBER and person.phone_masked == ""


@pytest.mark.parametrize(
    "username,status", [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_edit_refused_outside_or_without_the_role(client_for, person, username, status):
    before = person.history.count()
    response = client_for(username).post(f"/people/{person.pk}/edit/", edit_data(person, name="改名"))
    assert response.status_code == status
    person.refresh_from_db()
    assert person.name == "马小军" and person.history.count() == before


# -- the page ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["county", "huamachi", "cunshuji", "auditor"])
def test_archive_page_never_contains_the_full_numbers(client_for, person, username):
    page = client_for(username).get(f"/people/{person.pk}/").content.decode()
    assert NUMBER not in page and PHONE not in page
    assert MASKED in page and "138****5678" in page
    for text in [
        "马小军",
        "回族",
        "宁夏盐池",
        "中共党员",
        "宁夏大学",
        "李芳",
        "2008.09--2012.06",
        "县级优秀共产党员",
    ]:
        assert text in page, text
    assert (
        f"{timezone.localdate().year - 1990 - ((timezone.localdate().month, timezone.localdate().day) < (5, 12))} 岁"
        in page
    )
    assert "党龄" in page
    assert "最高学历</span>" in page or "最高</span>" in page
    assert ("显示完整号码" in page) == (username in {"county", "huamachi"})
    assert ("/edit/" in page) == (username in {"county", "huamachi"})
    assert f"/people/{person.pk}/print/" in page and f"/people/{person.pk}/export.lrmx" in page
    assert "_hash" not in page and "keyed hash" not in page


def test_highest_education_is_marked(client_for, person):
    page = client_for("huamachi").get(f"/people/{person.pk}/").content.decode()
    table = page[page.index('id="educations"') : page.index("</table>", page.index('id="educations"'))]
    highest_row = table[table.index("硕士研究生毕业") :]  # 在职 硕士 (党校) ranks above 全日制 本科
    assert highest_row.index("badge") < highest_row.index("</tr>")
    assert table.count("badge") == 1


# -- full numbers ------------------------------------------------------------------------------------------


def test_reveal_for_a_permitted_user_is_audited(client_for, person):
    client = client_for("huamachi")
    history = person.history.count()
    before = AuditEvent.objects.count()
    response = client.post(f"/people/{person.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 200 and NUMBER in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    response = client.post(f"/people/{person.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 200 and PHONE in response.content.decode()
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.username, e.object_repr) for e in events] == [
        (AuditAction.VIEW_FULL_ID_NUMBER, "huamachi", f"person {person.pk}"),
        (AuditAction.VIEW_FULL_PHONE, "huamachi", f"person {person.pk}"),
    ]
    assert person.history.count() == history


@pytest.mark.parametrize(
    "username,status", [("auditor", 403), ("cunshuji", 403), ("dashuikeng", 404), ("outsider", 404)]
)
def test_reveal_refused_writes_nothing(client_for, person, username, status):
    client = client_for(username)
    before, history = AuditEvent.objects.count(), person.history.count()
    response = client.post(f"/people/{person.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == status
    assert NUMBER not in response.content.decode()
    assert AuditEvent.objects.count() == before and person.history.count() == history


def test_reveal_is_post_only(client_for, person):
    assert client_for("huamachi").get(f"/people/{person.pk}/reveal/?field=id_number").status_code == 405


# -- attachments and photo ---------------------------------------------------------------------------------


def docx_bytes(member="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(member, "<document/>")
    return buffer.getvalue()


def png_bytes(size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_attachment_upload_and_download(client_for, person, persona, media):
    client = client_for("huamachi")
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    response = client.post(
        f"/people/{person.pk}/attachments/",
        {"title": "推荐表", "file": SimpleUploadedFile("推荐表.pdf", pdf)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.title, attachment.content_type, attachment.size) == (
        "推荐表",
        "application/pdf",
        len(pdf),
    )
    assert attachment.uploaded_by == persona(
        "huamachi"
    ) and attachment.history.first().history_user == persona("huamachi")
    assert attachment.file.name.endswith(".pdf") and "推荐表" not in attachment.file.name
    download = client_for("cunshuji").get(f"/people/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert download["Content-Type"] == "application/pdf"
    assert client_for("dashuikeng").get(f"/people/attachments/{attachment.pk}/").status_code == 404
    docx = client.post(
        f"/people/{person.pk}/attachments/",
        {"title": "述职报告", "file": SimpleUploadedFile("述职.docx", docx_bytes())},
    )
    assert docx.status_code == 302 and Attachment.objects.count() == 2
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f"/people/attachments/{attachment.pk}/" in page and "述职报告" in page
    assert "/media/" not in page


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "scan.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            "附件：只接受 PDF、JPG、PNG、Word、Excel 文件",
        ),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, "附件：只接受 PDF、JPG、PNG、Word、Excel 文件"),
        ("report.docx", docx_bytes("other.xml"), "附件：只接受 PDF、JPG、PNG、Word、Excel 文件"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "附件：文件超过 10 MB"),
    ],
)
def test_attachment_refused_writes_nothing(client_for, person, media, name, content, message):
    response = client_for("huamachi").post(
        f"/people/{person.pk}/attachments/", {"title": "扫描件", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == 0 and Attachment.history.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize("username,status", [("auditor", 403), ("cunshuji", 403), ("dashuikeng", 404)])
def test_attachment_refused_for_forbidden_users(client_for, person, media, username, status):
    response = client_for(username).post(
        f"/people/{person.pk}/attachments/",
        {"title": "扫描件", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
    )
    assert response.status_code == status
    assert Attachment.objects.count() == 0 and stored_files(media) == []


def test_photo_upload_is_served_through_the_view(client_for, person):
    client = client_for("huamachi")
    assert (
        client.post(
            f"/people/{person.pk}/photo/", {"photo": SimpleUploadedFile("me.png", png_bytes())}
        ).status_code
        == 302
    )
    person.refresh_from_db()
    assert person.photo.name.endswith(".png")
    image = client_for("auditor").get(f"/people/{person.pk}/photo/image")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png_bytes()
    assert client_for("dashuikeng").get(f"/people/{person.pk}/photo/image").status_code == 404
    assert f"/people/{person.pk}/photo/image" in client.get(f"/people/{person.pk}/").content.decode()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("me.jpg", b"not an image at all", "照片：只接受 JPG、PNG 图片"),
        ("me.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "照片：只接受 JPG、PNG 图片"),
        ("me.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), "照片：文件超过 2 MB"),
    ],
)
def test_photo_refused_writes_nothing(client_for, person, media, name, content, message):
    history = person.history.count()
    response = client_for("huamachi").post(
        f"/people/{person.pk}/photo/", {"photo": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400 and message in response.content.decode()
    person.refresh_from_db()
    assert not person.photo and person.history.count() == history and stored_files(media) == []


# -- print and .lrmx ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["huamachi", "auditor"])
def test_print_page_has_the_masked_number(client_for, person, username):
    response = client_for(username).get(f"/people/{person.pk}/print/")
    page = response.content.decode()
    assert response.status_code == 200
    assert MASKED in page and NUMBER not in page and PHONE not in page
    # The A4 layout is a stylesheet of its own (the Content-Security-Policy allows no <style> in the page).
    assert '<link rel="stylesheet" href="/static/yanzhen/person_print.css">' in page
    assert (
        "@page { size: A4" in client_for(username).get("/static/yanzhen/person_print.css").getvalue().decode()
    )
    for text in [
        "出生年月<br>（岁）",
        "全日制教育",
        "在职教育",
        "毕业院校系及专业",
        "人员基本信息表",
        "马小军",
        "1990.05",
        "回族",
        "2012.07",
        "大学本科毕业",
        "宁夏大学农学专业",
        "李芳",
        "妻子",
    ]:
        assert text in page, text


def lrmx(client, person) -> tuple:
    response = client.get(f"/people/{person.pk}/export.lrmx")
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def test_lrmx_with_the_permission(client_for, persona, person):
    set_photo(
        actor=persona("huamachi"), person=person, uploaded_file=SimpleUploadedFile("me.png", png_bytes())
    )
    client = client_for("huamachi")
    before = AuditEvent.objects.count()
    response, root = lrmx(client, person)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".lrmx" in response["Content-Disposition"]
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert root.tag == "Person"
    text = {child.tag: (child.text or "") for child in root if len(child) == 0}
    expected = {
        "XingMing": "马小军",
        "XingBie": "男",
        "ChuShengNianYue": "199005",
        "MinZu": "回族",
        "JiGuan": "宁夏盐池",
        "RuDangShiJian": "201207",
        "QuanRiZhiJiaoYu_XueLi": "大学本科毕业",
        "QuanRiZhiJiaoYu_XueWei": "学士",
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "宁夏大学农学专业",
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "宁夏大学农学专业",
        "ZaiZhiJiaoYu_XueLi": "硕士研究生毕业",
        "ZaiZhiJiaoYu_XueWei": "",
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "中共宁夏区委党校经济管理专业",
        "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "XianRenZhiWu": "",
        "NiRenZhiWu": "",
        "JianLi": "2008.09--2012.06 宁夏大学农学专业学习\r\n2012.07-- 花马池镇某村务农，经营滩羊养殖",
        "JiangChengQingKuang": "2020年被评为县级优秀共产党员",
        "NianDuKaoHeJieGuo": "",
        "ShenFenZheng": NUMBER,
        "Version": "3.2.1.6",
        "JiSuanNianLingShiJian": f"{timezone.localdate():%Y%m%d}",
        "TianBiaoShiJian": f"{timezone.localdate():%Y%m%d}",
    }
    assert {tag: text[tag] for tag in expected} == expected
    family = [{field.tag: field.text or "" for field in item} for item in root.find("JiaTingChengYuan")]
    assert family == [
        {
            "ChengWei": "妻子",
            "XingMing": "李芳",
            "ChuShengRiQi": "199103",
            "ZhengZhiMianMao": "群众",
            "GongZuoDanWeiJiZhiWu": "",
        },
        {
            "ChengWei": "父亲",
            "XingMing": "马德明",
            "ChuShengRiQi": "",
            "ZhengZhiMianMao": "",
            "GongZuoDanWeiJiZhiWu": "花马池镇某村村民",
        },
    ]
    photo = base64.b64decode(text["ZhaoPian"])
    assert photo.startswith(b"\xff\xd8\xff") and Image.open(io.BytesIO(photo)).format == "JPEG"
    events = AuditEvent.objects.order_by("pk")[before:]
    assert sorted((e.action, e.username) for e in events) == sorted(
        [(AuditAction.VIEW_FULL_ID_NUMBER, "huamachi"), (AuditAction.EXPORT, "huamachi")]
    )
    export = next(e for e in events if e.action == AuditAction.EXPORT)
    assert export.detail == {"format": "lrmx", "full_id_number": True}


def test_auditor_exports_nothing(client_for, person):
    client = client_for("auditor")
    before = AuditEvent.objects.count()
    assert client.get(f"/people/{person.pk}/export.lrmx").status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("username", ["cunshuji"])
def test_lrmx_without_the_permission_has_the_masked_number(client_for, person, username):
    before = AuditEvent.objects.count()
    client = client_for(username)
    before = AuditEvent.objects.count()
    response, root = lrmx(client, person)
    assert root.findtext("ShenFenZheng") == MASKED and NUMBER.encode() not in response.content
    assert PHONE.encode() not in response.content
    assert root.findtext("ZhaoPian") in ("", None)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.username, e.detail) for e in events] == [
        (AuditAction.EXPORT, username, {"format": "lrmx", "full_id_number": False})
    ]


def test_lrmx_outside_the_jurisdiction_is_404_and_not_audited(client_for, person):
    client = client_for("dashuikeng")
    before = AuditEvent.objects.count()
    assert client.get(f"/people/{person.pk}/export.lrmx").status_code == 404
    assert AuditEvent.objects.count() == before


def test_village_select_offers_only_the_users_villages(client_for):
    page = client_for("huamachi").get("/people/new/").content.decode()
    assert f'value="{HUAMACHI_VILLAGE}"' in page and f'value="{DASHUIKENG_VILLAGE}"' not in page


def test_lrmx_names_the_posts_held_today(client_for, person):
    from yanzhen.posts.models import PostType, Seat, Term

    seat = Seat.objects.create(village=person.village, post_type=PostType.objects.get(code="secretary"))
    Term.objects.create(seat=seat, person=person, start=date(2021, 1, 15))
    _, root = lrmx(client_for("county"), person)
    assert root.findtext("XianRenZhiWu") == f"{person.village.name}村党组织书记"


def test_timeline_names_the_village_not_its_code(client_for, persona, person):
    other = (
        Division.objects.filter(parent_id=HUAMACHI_VILLAGE[:9], level=5).exclude(pk=HUAMACHI_VILLAGE).first()
    )
    update_person(actor=persona("huamachi"), person=person, data=person_data(village=other))
    page = client_for("huamachi").get(f"/people/{person.pk}/").content.decode()
    old = Division.objects.get(pk=HUAMACHI_VILLAGE).name
    assert f"居住村：<del>{old}</del> → <ins>{other.name}</ins>" in page
    assert HUAMACHI_VILLAGE not in page.split('id="history"')[1]


def test_timeline_does_not_show_the_stored_photo_path(client_for, persona, person):
    set_photo(
        actor=persona("huamachi"), person=person, uploaded_file=SimpleUploadedFile("me.png", png_bytes())
    )
    page = client_for("huamachi").get(f"/people/{person.pk}/").content.decode()
    assert "照片：<del>—</del> → <ins>（照片）</ins>" in page and "photos/" not in page

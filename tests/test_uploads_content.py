"""Attachments are opened with the library of their kind, within size and pixel limits, before they are
accepted (issue 14 §1, core/uploads.py): a zip bomb named .xlsx and a truncated JPEG are refused with a
Chinese message and nothing is stored; real Excel, Word, JPEG, PNG and PDF files pass."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from tests.conftest import HUAMACHI_VILLAGE
from tests.factories import make_person
from yanzhen.core import uploads
from yanzhen.people.models import Attachment

pytestmark = pytest.mark.django_db


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "得分"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A real workbook plus one member of 60 MB of zeros: about 60 KB on disk."""
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def docx_bytes(member: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(member, "<document/>")
    return buffer.getvalue()


def check(name: str, content: bytes) -> str | None:
    return uploads.document_error(SimpleUploadedFile(name, content))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(persona):
    return make_person("邹附件", HUAMACHI_VILLAGE, actor=persona("huamachi"))


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bomb.xlsx", zip_bomb_xlsx(), "附件：文件压缩比异常（疑似压缩炸弹）"),
        ("cut.jpg", jpeg_bytes()[:600], "附件：图片已损坏或不完整，无法打开"),
        ("magic.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 500, "附件：只接受 PDF、JPG、PNG、Word、Excel 文件"),
        ("zip.xlsx", docx_bytes(), "附件：只接受 PDF、JPG、PNG、Word、Excel 文件"),
        ("broken.xlsx", xlsx_bytes()[:-200], "附件：压缩包已损坏，无法打开"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "附件：PDF 文件不完整（缺少文件结尾标记）"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_stored(client_for, person, media, name, content, message):
    assert len(content) < 200 * 1024
    response = client_for("huamachi").post(
        f"/people/{person.pk}/attachments/", {"title": "扫描件", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == 0 and Attachment.history.count() == 0
    assert not media.exists() or [path for path in media.rglob("*") if path.is_file()] == []


def test_an_image_over_the_pixel_limit_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (10000, 6000)).save(buffer, format="PNG")
    assert check("scan.png", buffer.getvalue()) == (
        "附件：图片像素过多（10000×6000），上限为 5000 万像素，请缩小后再上传"
    )


def test_many_small_members_too_big_in_total_are_refused():
    """Members of 1 MB escape the ratio rule; their sum does not."""
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        for number in range(51):
            package.writestr(f"xl/media/part{number}.bin", b"\0" * (1024 * 1024))
    assert check("big.xlsx", buffer.getvalue()) == "附件：文件解压后超过 50 MB（疑似压缩炸弹）"


@pytest.mark.parametrize(
    "name,content",
    [
        ("成绩.xlsx", xlsx_bytes()),
        ("述职.docx", docx_bytes()),
        ("扫描.jpg", jpeg_bytes()),
        (
            "扫描.png",
            (lambda b: (Image.new("RGB", (20, 20)).save(b, format="PNG"), b.getvalue())[1])(io.BytesIO()),
        ),
        ("推荐表.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
    ],
)
def test_real_documents_pass(name, content):
    assert check(name, content) is None

"""Uploaded documents (scans of 推荐表, 考察材料, 汇报 ...) and images: the one rule for every app that takes them.

PDF, JPG, PNG, Word and Excel up to 10 MB. A file is opened with the library of its kind before it is
accepted, within limits checked first: an image is decoded by Pillow within IMAGE_MAX_PIXELS (a 48 KB PNG
may claim 20000×20000 pixels), an Office package is bounded from its zip directory (member count,
uncompressed size, compression ratio) before anything is decompressed, then read (openpyxl for Excel,
the required parts and their checksums for Word). A PDF must carry the structure markers of one. The file
is stored under a random name: the uploader's file name never reaches a URL.
"""

from __future__ import annotations

import io
import uuid
import warnings
import zipfile
import zlib

import openpyxl
from PIL import Image, UnidentifiedImageError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls
ZIP = b"PK\x03\x04"  # .docx/.xlsx are zip packages

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# An A4 scan at 600 dpi is 35 million pixels; a phone photo 12 to 50 million.
IMAGE_MAX_PIXELS = 50_000_000
# Pillow's own guard, for every image the app opens (stored photos included), set from the same limit.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
# Office packages, read from the zip directory before any member is decompressed.
PACKAGE_MAX_MEMBERS = 2000
PACKAGE_MAX_UNCOMPRESSED = 50 * 1024 * 1024
PACKAGE_MAX_RATIO = 100  # for members above 1 MB; real documents compress 5 to 20 times


class Refused(Exception):
    """The reason (in Chinese, without the field's label) a file is not accepted."""


class NotThisKind(Refused):
    """The content is not of the kind its extension names (a program renamed to .pdf)."""

    def __init__(self):
        super().__init__("只接受 PDF、JPG、PNG、Word、Excel 文件")


def check_image(uploaded_file, formats=("JPEG", "PNG")) -> str:
    """The Pillow format of an image that opens, verifies and fully decodes within IMAGE_MAX_PIXELS;
    raises Refused otherwise. The size is checked from the header, before any pixel is decoded."""
    try:
        uploaded_file.seek(0)
        with warnings.catch_warnings():
            # Between one and two times the limit Pillow only warns; the size is refused just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(uploaded_file)
        with image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise Refused(
                    f"图片像素过多（{width}×{height}），上限为 {IMAGE_MAX_PIXELS // 10_000} 万像素，请缩小后再上传"
                )
            image_format = image.format
            if image_format is None or image_format not in formats:
                raise NotThisKind
            image.verify()
        # verify() leaves the image unusable and does not decode the pixels: a truncated JPEG passes it.
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.load()
    except Image.DecompressionBombError:
        raise Refused(f"图片像素过多，上限为 {IMAGE_MAX_PIXELS // 10_000} 万像素，请缩小后再上传") from None
    except UnidentifiedImageError:
        raise NotThisKind from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, zlib.error):
        raise Refused("图片已损坏或不完整，无法打开") from None
    finally:
        uploaded_file.seek(0)
    return image_format


def _package(uploaded_file, required: tuple[str, ...]) -> zipfile.ZipFile:
    """The Office package, bounded from its directory and checked member by member (CRC); the caller
    closes it."""
    uploaded_file.seek(0)
    if uploaded_file.read(4) != ZIP:
        raise NotThisKind
    uploaded_file.seek(0)
    try:
        package = zipfile.ZipFile(uploaded_file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("压缩包已损坏，无法打开") from None
    try:
        members = package.infolist()
        if len(members) > PACKAGE_MAX_MEMBERS:
            raise Refused("文件结构异常（压缩包内文件过多）")
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > 1024 * 1024 and member.file_size > PACKAGE_MAX_RATIO * max(
                member.compress_size, 1
            ):
                raise Refused("文件压缩比异常（疑似压缩炸弹）")
        if total > PACKAGE_MAX_UNCOMPRESSED:
            raise Refused(f"文件解压后超过 {PACKAGE_MAX_UNCOMPRESSED // (1024 * 1024)} MB（疑似压缩炸弹）")
        names = {member.filename for member in members}
        missing = [name for name in required if name not in names]
        if missing:
            raise NotThisKind
        # Within the bounds above, decompressing every member is cheap and proves none is truncated.
        if package.testzip() is not None:
            raise Refused("压缩包已损坏，无法打开")
    except Refused:
        package.close()
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        package.close()
        raise Refused("压缩包已损坏，无法打开") from None
    return package


def check_xlsx(uploaded_file) -> None:
    _package(uploaded_file, ("[Content_Types].xml", "xl/workbook.xml")).close()
    uploaded_file.seek(0)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(uploaded_file.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds on a malformed package)
        raise Refused("文件不是有效的 Excel 工作簿") from None
    workbook.close()


def check_docx(uploaded_file) -> None:
    _package(uploaded_file, ("[Content_Types].xml", "word/document.xml")).close()


def check_pdf(uploaded_file) -> None:
    uploaded_file.seek(0)
    head = uploaded_file.read(1024)
    uploaded_file.seek(max(uploaded_file.size - 2048, 0))
    tail = uploaded_file.read()
    if not head.startswith(b"%PDF-"):
        raise NotThisKind
    if b"%%EOF" not in tail:
        raise Refused("PDF 文件不完整（缺少文件结尾标记）")


def check_ole2(uploaded_file) -> None:
    uploaded_file.seek(0)
    if not uploaded_file.read(8).startswith(OLE2):
        raise NotThisKind


def _image(*formats):
    def check(uploaded_file) -> None:
        check_image(uploaded_file, formats)

    return check


# Attachments: extension → (content type, the check of the content, which raises Refused).
DOCUMENT_RULES = {
    "pdf": ("application/pdf", check_pdf),
    "jpg": ("image/jpeg", _image("JPEG")),
    "jpeg": ("image/jpeg", _image("JPEG")),
    "png": ("image/png", _image("PNG")),
    "doc": ("application/msword", check_ole2),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", check_docx),
    "xls": ("application/vnd.ms-excel", check_ole2),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", check_xlsx),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def document_error(uploaded_file, label: str = "附件") -> str | None:
    """The Chinese reason a document is refused, naming the field, or None when it is acceptable."""
    if uploaded_file is None:
        return f"{label}：请选择文件"
    rule = DOCUMENT_RULES.get(extension(getattr(uploaded_file, "name", "") or ""))
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        return f"{label}：文件超过 10 MB"
    if rule is None:
        return f"{label}：{NotThisKind()}"
    try:
        rule[1](uploaded_file)
    except Refused as refused:
        return f"{label}：{refused}"
    finally:
        uploaded_file.seek(0)
    return None


def accept_document(uploaded_file) -> str:
    """Rename an accepted document to a random name; returns its content type."""
    content_type = DOCUMENT_RULES[extension(uploaded_file.name)][0]
    uploaded_file.seek(0)
    uploaded_file.name = f"{uuid.uuid4().hex}.{extension(uploaded_file.name)}"
    return content_type

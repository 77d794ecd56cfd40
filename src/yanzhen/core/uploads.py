"""Uploaded documents (scans of 推荐表, 考察材料, 汇报 ...): the one rule for every app that takes them.

PDF, JPG, PNG, Word and Excel up to 10 MB. The content must match the extension (a program renamed to .pdf
is refused), and the file is stored under a random name: the uploader's file name never reaches a URL.
"""

from __future__ import annotations

import uuid
import zipfile

# Attachments: extension → (content type, test of the first bytes). The content must match the extension:
# a program renamed to .pdf is refused.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls
ZIP = b"PK\x03\x04"  # .docx/.xlsx are zip packages


def _zip_holds(member: str):
    def check(uploaded_file) -> bool:
        uploaded_file.seek(0)
        try:
            with zipfile.ZipFile(uploaded_file) as package:
                return member in package.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False

    return check


def _starts_with(*prefixes: bytes):
    def check(uploaded_file) -> bool:
        uploaded_file.seek(0)
        head = uploaded_file.read(16)
        return any(head.startswith(prefix) for prefix in prefixes)

    return check


DOCUMENT_RULES = {
    "pdf": ("application/pdf", _starts_with(b"%PDF-")),
    "jpg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "png": ("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    "doc": ("application/msword", _starts_with(OLE2)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_holds("word/document.xml"),
    ),
    "xls": ("application/vnd.ms-excel", _starts_with(OLE2)),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_holds("xl/workbook.xml"),
    ),
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def document_error(uploaded_file, label: str = "附件") -> str | None:
    """The Chinese reason a document is refused, naming the field, or None when it is acceptable."""
    if uploaded_file is None:
        return f"{label}：请选择文件"
    rule = DOCUMENT_RULES.get(extension(getattr(uploaded_file, "name", "") or ""))
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        return f"{label}：文件超过 10 MB"
    if rule is None or not rule[1](uploaded_file):
        return f"{label}：只接受 PDF、JPG、PNG、Word、Excel 文件"
    uploaded_file.seek(0)
    return None


def accept_document(uploaded_file) -> str:
    """Rename an accepted document to a random name; returns its content type."""
    content_type = DOCUMENT_RULES[extension(uploaded_file.name)][0]
    uploaded_file.seek(0)
    uploaded_file.name = f"{uuid.uuid4().hex}.{extension(uploaded_file.name)}"
    return content_type

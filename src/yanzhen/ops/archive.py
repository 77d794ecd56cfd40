"""The backup file: one .tar.gz holding `data.json`, `media/...`, `manifest.json` and `manifest.sig`.

The manifest lists the SHA-256 and size of every other member; `manifest.sig` is an HMAC of the manifest under
a key derived from the field keys (`core.crypto.sign`). A checksum alone is recomputed by whoever edits the
archive; the signature can only be made by a holder of YANZHEN_FIELD_KEYS, whom a restore needs anyway to read
the encrypted ID numbers and phones. Reading checks everything before anything is written to the database.

The manifest covers the members, not the bytes around them (the gzip header and trailer, the tar padding):
so the whole file is sealed too. An HMAC over every byte of the .tar.gz is appended as one fixed-length
line (`SEAL_MAGIC` + 64 hex digits + newline) after the gzip stream; the reader checks it first, and any
changed, added or removed byte is refused with one sentence, "备份文件已损坏或被篡改". Archives of format 1
(before the seal) have no such line and are still read with the member checks alone; a format-2 manifest
without its seal is a stripped seal, refused like any other change.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from yanzhen.core import crypto
from yanzhen.core.progress import Progress, report

FORMAT = "yanzhen-backup"
FORMAT_VERSION = 2
# Format 1 archives (no seal) are still restorable: their members are covered by the signed manifest.
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA = "data.json"
MEDIA = "media"
SIGNATURE_PURPOSE = "backup-manifest"
SEAL_PURPOSE = "backup-archive"
SEAL_MAGIC = b"\nYANZHEN-BACKUP-SEAL-1 "
SEAL_LENGTH = len(SEAL_MAGIC) + 64 + 1
TAMPERED = "备份文件已损坏或被篡改"
# The manifest and its signature are read into memory; a real one is far smaller (one line per file).
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
# The stages the console's progress bar names (core.progress).
VERIFYING = "校验备份"
PACKING = "打包文件"


class BackupError(Exception):
    """A backup or restore refused, with the Chinese sentence the operator reads."""


def tampered(label: str) -> BackupError:
    return BackupError(
        f"{TAMPERED}（{label}）：内容与签名不符，或备份时使用的是另一组 YANZHEN_FIELD_KEYS。"
        "拒绝恢复，未写入任何数据。"
    )


class _SealingWriter:
    """Passes the gzip stream through to the file while computing the seal over every byte written."""

    def __init__(self, target: BinaryIO):
        self.target = target
        self.seal = crypto.signers(SEAL_PURPOSE)[0]

    def write(self, data) -> int:
        self.seal.update(data)
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()


class _Bounded(io.RawIOBase):
    """The first `limit` bytes of a file: the sealed gzip stream, without the seal line after it."""

    def __init__(self, source: BinaryIO, limit: int):
        self.source, self.limit, self.position = source, limit, 0
        source.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.limit}[whence]
        self.position = max(0, min(self.limit, base + offset))
        self.source.seek(self.position)
        return self.position

    def readinto(self, buffer) -> int:
        wanted = min(len(buffer), self.limit - self.position)
        if wanted <= 0:
            return 0
        data = self.source.read(wanted)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def _sealed_length(handle: BinaryIO, label: str) -> int | None:
    """Checks the seal line at the end of the file against every byte before it and returns the length of
    the gzip stream; None for a file without a seal line (format 1). A wrong seal is a changed file."""
    size = handle.seek(0, io.SEEK_END)
    if size < SEAL_LENGTH:
        return None
    handle.seek(size - SEAL_LENGTH)
    line = handle.read(SEAL_LENGTH)
    if not (line.startswith(SEAL_MAGIC) and line.endswith(b"\n")):
        return None
    expected = line[len(SEAL_MAGIC) : -1]
    signers = crypto.signers(SEAL_PURPOSE)
    handle.seek(0)
    remaining = size - SEAL_LENGTH
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:
            raise tampered(label)
        for signer in signers:
            signer.update(chunk)
        remaining -= len(chunk)
    if not any(hmac.compare_digest(signer.hexdigest().encode(), expected) for signer in signers):
        raise tampered(label)
    return size - SEAL_LENGTH


class _HashingReader:
    """Passes a file through to tarfile while computing its SHA-256, so each file is read once."""

    def __init__(self, source: BinaryIO):
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.hash.update(chunk)
        return chunk


class _CountingReader:
    """Passes the archive file to tarfile and tells `progress` how many of its bytes have been read."""

    def __init__(self, source: BinaryIO, size: int, progress: Progress):
        self.source, self.size, self.progress = source, size, progress
        self.reported = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        position = self.source.tell()
        if position - self.reported >= CHUNK or position == self.size:
            self.reported = position
            self.progress(position, self.size, VERIFYING)
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.source.seek(offset, whence)

    def tell(self) -> int:
        return self.source.tell()


class ArchiveWriter:
    """Writes members one by one and remembers their checksums for the manifest, which goes last."""

    def __init__(self, target: BinaryIO):
        self._target = target
        self._sealing = _SealingWriter(target)
        self._tar = tarfile.open(fileobj=self._sealing, mode="w:gz")
        self.files: dict[str, dict[str, Any]] = {}

    def add_file(self, name: str, source: Path) -> None:
        info = tarfile.TarInfo(name)
        stat = source.stat()
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        with source.open("rb") as handle:
            reader = _HashingReader(handle)
            self._tar.addfile(info, reader)
        self.files[name] = {"sha256": reader.hash.hexdigest(), "size": info.size}

    def finish(self, manifest: dict[str, Any]) -> None:
        """Adds the manifest (with the checksums of every member written so far) and its signature."""
        body = json.dumps({**manifest, "files": self.files}, ensure_ascii=False, indent=2, sort_keys=True)
        self._add_bytes(MANIFEST, body.encode())
        self._add_bytes(SIGNATURE, crypto.sign(body.encode(), purpose=SIGNATURE_PURPOSE).encode())
        self._tar.close()
        self._target.write(SEAL_MAGIC + self._sealing.seal.hexdigest().encode() + b"\n")

    def _add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
        self._tar.addfile(info, io.BytesIO(data))


def _is_allowed_name(name: str) -> bool:
    """Only the four kinds of member we write, as plain relative paths: nothing can land outside the
    staging directory, whatever the archive says."""
    path = PurePosixPath(name)
    if (
        str(path) != name
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in path.parts)
    ):
        return False
    return name in (MANIFEST, SIGNATURE, DATA) or (path.parts[0] == MEDIA and len(path.parts) > 1)


def read_verified(archive: Path, staging: Path | None, progress: Progress | None = None) -> dict[str, Any]:
    """Reads every member, checks the signature and each checksum, and returns the manifest.

    With `staging`, `data.json` and the media files are written below it (the restore loads them from there);
    without, they are only hashed (the drill's first look). Raises BackupError naming the archive and the
    member at fault; nothing outside `staging` is written. `progress` hears the bytes of the archive read.
    """
    label = archive.name
    length = None
    try:
        with archive.open("rb") as handle:
            length = _sealed_length(handle, label)
            stream = io.BufferedReader(_Bounded(handle, length)) if length is not None else handle
            stream.seek(0)
            manifest = _read_members(label, stream, staging, progress, archive.stat().st_size)
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件 {archive}") from None
    except BackupError:
        if length is not None:  # the bytes are the ones sealed: whatever is wrong was written so
            raise
        raise tampered(label) from None
    if length is None and manifest["format_version"] != 1:
        raise tampered(label)  # the seal line was cut off
    return manifest


def _read_members(
    label: str, stream: BinaryIO, staging: Path | None, progress: Progress | None, size: int
) -> dict[str, Any]:
    found: dict[str, dict[str, Any]] = {}
    small: dict[str, bytes] = {}
    current = ""
    try:
        with tarfile.open(fileobj=_reader(stream, size, progress), mode="r:gz") as tar:
            for member in tar:
                current = member.name
                if not _is_allowed_name(member.name) or not member.isfile():
                    raise BackupError(
                        f"备份文件 {label} 含有不应有的条目 {member.name}，拒绝恢复。未写入任何数据。"
                    )
                if member.name in found or member.name in small:
                    raise BackupError(
                        f"备份文件 {label} 中 {member.name} 出现了两次，拒绝恢复。未写入任何数据。"
                    )
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content to extract
                if member.name in (MANIFEST, SIGNATURE):
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError(
                            f"备份文件 {label} 中的 {member.name} 过大，拒绝恢复。未写入任何数据。"
                        )
                    small[member.name] = source.read()
                else:
                    found[member.name] = _copy(source, staging / member.name if staging else None)
        report(progress, size, size, VERIFYING)  # the whole file was read: its end, whatever the gzip trailer
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        where = f"读取 {current} 时" if current else "打开时"
        raise BackupError(
            f"备份文件 {label} 已损坏，{where}出错（{exc}）。拒绝恢复，未写入任何数据。"
        ) from None
    manifest = _verified_manifest(label, small)
    _compare(label, manifest["files"], found)
    return manifest


def _reader(raw: BinaryIO, size: int, progress: Progress | None) -> BinaryIO:
    if progress is None:
        return raw
    return _CountingReader(raw, size, progress)  # type: ignore[return-value]


def _copy(source: IO[bytes], target: Path | None) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    handle = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = target.open("xb")
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if handle:
                handle.write(chunk)
    finally:
        if handle:
            handle.close()
    return {"sha256": digest.hexdigest(), "size": size}


def _verified_manifest(label: str, small: dict[str, bytes]) -> dict[str, Any]:
    if MANIFEST not in small:
        raise BackupError(f"备份文件 {label} 缺少 {MANIFEST}，不是完整的雁阵备份。未写入任何数据。")
    body = small[MANIFEST]
    signature = small.get(SIGNATURE, b"").decode("ascii", "replace").strip()
    if not crypto.signature_matches(body, signature, purpose=SIGNATURE_PURPOSE):
        raise BackupError(
            f"备份文件 {label} 的 {MANIFEST} 签名不符：清单被改动过，或备份时使用的是另一组 YANZHEN_FIELD_KEYS。"
            "拒绝恢复，未写入任何数据。"
        )
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT or manifest.get("format_version") not in READABLE_VERSIONS:
        raise BackupError(
            f"备份文件 {label} 的格式（{manifest.get('format')} 第 {manifest.get('format_version')} 版）"
            f"不是本程序能读的（{FORMAT} 第 {FORMAT_VERSION} 版）。未写入任何数据。"
        )
    return manifest


def _compare(label: str, expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> None:
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            problem = "在清单中但不在备份文件里"
        elif name not in expected:
            problem = "不在清单中"
        elif found[name] != expected[name]:
            problem = "的 SHA-256 与清单不符"
        else:
            continue
        raise BackupError(f"备份文件 {label} 已损坏或被改动：{name} {problem}。拒绝恢复，未写入任何数据。")
    if DATA not in found:
        raise BackupError(f"备份文件 {label} 缺少 {DATA}。未写入任何数据。")


def media_members(manifest: dict[str, Any]) -> list[str]:
    return sorted(name for name in manifest["files"] if name.startswith(MEDIA + "/"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()

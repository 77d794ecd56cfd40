"""The hash chain of the audit log: each row carries the hash of the row before it and its own hash, so a
row removed or altered after the fact is found by `yanzhen audit verify`.

A row's hash is SHA-256 over the previous row's hash and the row's canonical content (every column but the
id and the two hashes, as sorted compact JSON). The chain runs in id order. Written only by
`core.audit.record` under a lock, so two app servers never attach to the same previous row. Also used by the
data migration that chains the rows written before the chain existed: plain attribute reads only.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def _ip(value: str | None) -> str | None:
    # PostgreSQL's inet type hands back its own spelling of an address; hash one spelling only.
    return str(ipaddress.ip_address(value)) if value else None


def canonical(row) -> bytes:
    content = {
        "at": row.at.astimezone(datetime.UTC).isoformat(),
        "user": row.user_id,
        "username": row.username,
        "division_code": row.division_code,
        "ip_address": _ip(row.ip_address),
        "action": row.action,
        "outcome": row.outcome,
        "object_repr": row.object_repr,
        "detail": row.detail,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link(previous_hash: str, row) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(row)).hexdigest()


@dataclass
class Verdict:
    rows: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify(rows: Iterable) -> Verdict:
    """Walks the rows in id order and stops at the first broken link, saying in Chinese what is wrong."""
    previous_hash, previous_id, count = GENESIS, None, 0
    for row in rows:
        if row.prev_hash != previous_hash:
            if previous_id is None:
                problem = "链的起点不符：在它之前的记录被删除了，或它记录的上一条哈希被改动"
            else:
                problem = (
                    f"与上一条（第 {previous_id} 条）的链接不符：两条之间有记录被删除，"
                    f"或第 {previous_id} 条的哈希被改动"
                )
            return Verdict(count, row.pk, problem)
        if link(row.prev_hash, row) != row.row_hash:
            return Verdict(count, row.pk, "内容与其哈希不符：这一条在写入后被改动")
        previous_hash, previous_id, count = row.row_hash, row.pk, count + 1
    return Verdict(count)

"""/api/v1/stats: the figures of a division on a date (stats.figures.compute), inside the caller's
jurisdiction. A division outside it answers 404 like a missing one; a bad date 422 with a Chinese message."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from yanzhen.stats.figures import StatsInputError, compute

router = Router()


class StatsQuery(Schema):
    division: str = Field(pattern=r"^\d{2,12}$", description="区划代码（县、乡镇或村）")
    as_of: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="统计日期 YYYY-MM-DD，默认今天")
    succession: bool = Field(
        False, description="同时计算梯队数字 succession（逐个关键岗位计算，全省范围较慢）"
    )


@router.get("", url_name="stats", summary="统计数字（统计口径见 stats.figures）")
def stats(request, params: Query[StatsQuery]):
    try:
        return compute(request.auth, params.division, params.as_of or None, succession=params.succession)
    except StatsInputError as wrong:
        raise HttpError(422, str(wrong)) from None

"""The short link of a village's survey and its QR code, drawn server-side as inline SVG (as the two-factor
enrolment draws its code: no image request, nothing sent elsewhere)."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from yanzhen.surveys.models import SurveyVillage


def short_link(request, member: SurveyVillage) -> str:
    return request.build_absolute_uri(reverse("survey-answer", args=[member.token]))


def qr_svg(url: str, *, scale: int = 4) -> SafeString:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff"))  # noqa: S308

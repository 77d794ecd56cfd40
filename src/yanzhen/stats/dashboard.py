"""What the dashboard shows (the stats app's selector of a whole page): the figures as cards, the table of
the division's children and the series of the charts (the warnings of today are loaded after the page, from
`stats:warning-cards`). The stats dashboard page and the
home page (`core.views.home`) both read it from here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from yanzhen.accounts.leader import link_for
from yanzhen.candidacies.models import PublicNotice
from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.holidays import calendar
from yanzhen.holidays.services import may_edit_schedule
from yanzhen.stats import figures, rollup, selectors
from yanzhen.stats.figures import Scope
from yanzhen.stats.states import tuned


def base_query(scope: Scope, **extra) -> str:
    return urlencode({"division": scope.division.code, "as_of": scope.as_of.isoformat(), **extra})


def breadcrumb(user, division: Division) -> list[Division]:
    """The ancestors the user may open (his own division and below)."""
    if jurisdiction_prefix(user) == division.code:
        return []  # the top of his jurisdiction: no ancestor is his to open, so none is read
    return [ancestor for ancestor in division.ancestors() if code_in_jurisdiction(user, ancestor.code)]


def dashboard_context(user, division: Division, as_of=None, villages: int | None = None) -> dict:
    """What the dashboard shows for a division on a date: the figures, the table of its children, the
    series of the charts (as JSON for dashboard.js). `villages`: the division's 村委会 as the caller counted
    them already (`divisions.selectors.village_counts`), so they are not counted twice."""
    with tuned():
        return _dashboard_context(user, division, as_of, villages)


def _dashboard_context(user, division: Division, as_of=None, villages: int | None = None) -> dict:
    scope = Scope(user, division, as_of or today())
    if villages is not None:
        scope.cache["villages"] = villages
    rollup.prime(scope)
    # The figures and the charts share their queries: one over the pool's states, one over the candidacies.
    figures.pool_counts(scope, selectors.series_conditions(scope.as_of))
    figures.candidacy_counts(scope, selectors.trend_aggregates(scope.as_of))
    result = figures.figures_for(scope)
    covered = figures.covered_village_codes(scope)
    rows = selectors.children(scope, covered)
    query = base_query(scope)
    people_url = reverse("stats:people") + "?" + query
    sources = result["reserves"]["source"]
    source_keys = {
        measure.label: measure.key for measure in figures.scope_measures(scope) if measure.group == "source"
    }
    chart_data = {
        "pyramid": selectors.pyramid(scope),
        "education": selectors.education_levels(scope),
        "sources": {
            "labels": list(sources),
            "values": [entry["count"] for entry in sources.values()],
            # Empty for the 县委分管领导, who may not open the people list (accounts.leader).
            "links": [
                link_for(user, f"{people_url}&group=source&key={source_keys.get(name, 'none')}")
                for name in sources
            ],
        },
        "coverage": {
            "labels": [row.division.name for row in rows],
            "pct": [row.pct for row in rows],
            "reserves": [row.reserves for row in rows],
            "links": [
                reverse("stats:dashboard") + "?" + base_query(scope.with_division(row.division))
                for row in rows
            ],
        },
        "trends": selectors.trends(scope),
    }
    return {
        "scope": scope,
        "division": division,
        "as_of": scope.as_of,
        "cards": figure_cards(scope, result, people_url),
        "is_today": scope.as_of == today(),
        # The succession cards (issue 21 §5) come after the page from `succession:cards`, for a county and below.
        "succession_cards": apps.is_installed("yanzhen.succession") and len(division.code) >= 6,
        "figures": result,
        "children": rows,
        "children_are_villages": division.level == Level.TOWNSHIP,
        "chart_data": chart_data,
        "query": query,
        "stats_breadcrumb": breadcrumb(user, division),
        "holiday_schedule": holiday_schedule_warning(user),
        "village_coverage": (
            selectors.village_rows(scope)
            if division.level == Level.VILLAGE and division.is_administrative_village
            else []
        ),
    }


def holiday_schedule_warning(user) -> dict | None:
    """The years without a holiday schedule that the 公示 of today need (`holidays.calendar.years_to_watch`),
    with the entry page for the administrator who may enter them."""
    on = today()
    latest = PublicNotice.objects.filter(end__gte=on).aggregate(latest=Max("end"))["latest"]
    missing = calendar.years_to_watch(on, latest)
    if not missing:
        return None
    return {
        "years": missing,
        "note": calendar.years_note(missing),
        "url": reverse("holidays:year", args=[missing[0]]) if may_edit_schedule(user) else "",
    }


def figure_cards(scope: Scope, result: dict, people_url: str) -> list[dict]:
    """The figures as groups of numbers, each with the link to the people behind it."""
    reserves = result["reserves"]

    def item(label, entry, group, key):
        return {"label": label, **entry, "url": f"{people_url}&group={group}&key={key}"}

    statuses = {
        measure.label: measure.key
        for measure in figures.scope_measures(scope)
        if measure.group == "political_status"
    }
    return [
        {
            "title": _("Age"),
            "items": [
                item(_("Under 35"), reserves["age"]["under_35"], "age", "under_35"),
                item(_("35 to 50"), reserves["age"]["35_to_50"], "age", "35_to_50"),
                item(_("Over 50"), reserves["age"]["over_50"], "age", "over_50"),
            ],
        },
        {
            "title": _("Education"),
            "items": [
                item(
                    _("College or above"),
                    reserves["education"]["college_or_above"],
                    "education",
                    "college_or_above",
                ),
                item(
                    _("Secondary or below"),
                    reserves["education"]["secondary_or_below"],
                    "education",
                    "secondary_or_below",
                ),
            ]
            + (
                [item(_("Not recorded"), reserves["education"]["unknown"], "education", "unknown")]
                if reserves["education"]["unknown"]["count"]
                else []
            ),
        },
        {
            "title": _("Gender"),
            "items": [
                item(_("Men"), reserves["gender"]["male"], "gender", "male"),
                item(_("Women"), reserves["gender"]["female"], "gender", "female"),
            ],
        },
        {
            "title": _("Political status"),
            "items": [
                item(
                    _("Party members (incl. probationary)"), reserves["party_members"], "party_members", "all"
                )
            ]
            + [
                item(label, entry, "political_status", statuses[label])
                for label, entry in reserves["political_status"].items()
                if entry["count"]
            ],
        },
        {
            "title": _("Experience"),
            "items": [
                item(
                    _("With industry experience"),
                    reserves["with_industry_experience"],
                    "with_industry_experience",
                    "all",
                )
            ],
        },
    ]

"""Template tags of the list component (`core.listing`): `{% sort_th %}`, `{% list_pager %}`,
`{% list_bulk %}`, `{% select_all_th %}` and `{% select_td %}`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yanzhen.core.listing import SELECTED_PARAM, Listing

register = template.Library()

BULK_FORM_ID = "list-bulk"


@register.simple_tag
def sort_th(listing: Listing, key: str, label, css_class: str = ""):
    """A column header that sorts: a link toggling ascending/descending, an arrow on the current column
    and `aria-sort` for screen readers. A key the list does not whitelist draws a plain header."""
    if key not in listing.sortable:
        return format_html('<th class="{}">{}</th>', css_class, label)
    if listing.sort == key:
        arrow, aria = ("▼", "descending") if listing.descending else ("▲", "ascending")
        title = (
            _("Sorted descending; click to sort ascending")
            if listing.descending
            else _("Sorted ascending; click to sort descending")
        )
    else:
        arrow, aria, title = "⇅", "none", _("Click to sort")
    return format_html(
        '<th class="{}" aria-sort="{}"><a class="sort-link{}" href="{}" title="{}" data-sort="{}">{}'
        '<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        css_class,
        aria,
        " active" if listing.sort == key else "",
        listing.sort_url(key),
        title,
        key,
        label,
        arrow,
    )


@register.inclusion_tag("core/_list_pager.html")
def list_pager(listing: Listing):
    """共 N 条 · page size · page numbers · jump to page, all keeping the querystring."""
    page = listing.page
    return {
        "listing": listing,
        "size_fields": listing.hidden_fields("page", "page_size"),
        "jump_fields": listing.hidden_fields("page"),
        "links": [(number, listing.page_url(number) if number else "") for number in listing.page_links()],
        "prev_url": listing.page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": listing.page_url(page.next_page_number()) if page.has_next() else "",
    }


@register.inclusion_tag("core/_list_bulk.html")
def list_bulk(listing: Listing, actions):
    """The bulk bar above a list with row checkboxes: "已选 N 项" and one submit button per action.

    `actions` is a list of dicts {"url", "label"} (optional "css"); each button sends the current filters and
    sort plus the ticked rows as `selected=<id>` to its url by GET (exports and choices, never a write)."""
    return {
        "listing": listing,
        "form_id": BULK_FORM_ID,
        "fields": listing.hidden_fields("page", "page_size"),
        "actions": actions,
        "count_template": _("{n} selected"),
        "count_initial": _("{n} selected").replace("{n}", "0"),
    }


@register.simple_tag
def select_all_th():
    return format_html(
        '<th class="list-select"><input class="form-check-input" type="checkbox" data-list-select-all '
        'aria-label="{}"></th>',
        _("Select all on this page"),
    )


@register.simple_tag
def select_td(pk, label=""):
    return format_html(
        '<td class="list-select"><input class="form-check-input" type="checkbox" name="{}" value="{}" '
        'form="{}" data-list-select aria-label="{}"></td>',
        SELECTED_PARAM,
        pk,
        BULK_FORM_ID,
        label or _("Select"),
    )

"""How every form of the project renders its widgets: a field with an error carries Bootstrap's
`is-invalid` class (red border) next to its message, whatever template draws it. Set once as the
FORM_RENDERER, so no form or template has to remember it; the message itself stays where each template
puts it (under the field, naming it)."""

from __future__ import annotations

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class MarksInvalidBoundField(BoundField):
    """Django already adds aria-invalid="true" to a widget whose field has errors; add the class that
    Bootstrap draws, keeping the widget's own classes."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if attrs.get("aria-invalid") == "true":
            widget = widget or self.field.widget
            classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
            if "is-invalid" not in classes:
                classes.append("is-invalid")
            attrs["class"] = " ".join(classes)
        return attrs


class BootstrapRenderer(DjangoTemplates):
    bound_field_class = MarksInvalidBoundField

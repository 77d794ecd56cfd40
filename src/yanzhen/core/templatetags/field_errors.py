"""`{{ error|with_label:field.label }}`: a field's error under the field, named by its label once.

The services' messages usually name the field themselves ("谈话人数须为不小于 0 的整数", "附件：只接受 PDF…"), since
the API and the flash messages show them without a form; Django's own ("未满 18 周岁" from a form) do not. So the
label goes in front only when the message does not already start with it: never "谈话人数：谈话人数须为…"."""

from django import template

register = template.Library()


@register.filter
def with_label(error, label) -> str:
    message, name = str(error), str(label or "").strip()
    if not name or message.startswith(name):
        return message
    return f"{name}：{message}"

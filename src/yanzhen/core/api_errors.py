"""The API's one error shape, its exception handlers, and the error statuses every operation documents.

Every refusal of /api/v1/ is JSON `Error`: `{"detail": "<Chinese sentence>", "errors": {field: message}}`,
`errors` present on 422 only (a field, or `__all__`, mapped to its Chinese messages joined by "；"). The shape
is the one the API already answered for its services' 422s, so clients reading `errors[field]` as a string
keep working; ninja's own request validation (a missing or ill-typed parameter) now answers the same shape
instead of pydantic's list.

Operations do not build error bodies: they raise (`Http404`, `PermissionDenied`, Django's `ValidationError`,
`Conflict`, the workflow's `WorkflowConflict`) and the handlers `register_handlers` installs on the NinjaAPI
answer. `document_errors` adds the statuses an operation can answer to its `response=` so the OpenAPI schema
(and ninja's own check of what a view returns) tells the truth: 401/403/404 everywhere, 400 (malformed) and
422 (invalid) where there is input, 413 where there is a body, 412 on PUT (a stale `If-Match`), 409 where an
operation declares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yanzhen.core.bad_input import BadInput, too_big_message

INVALID = "提交的数据有误，未保存"
UNAUTHENTICATED = "未登录或令牌无效"
NOT_FOUND = "不存在或不在您的辖区内"
FORBIDDEN = "您没有执行此操作的权限"


class Error(Schema):
    """Every error answer of the API."""

    detail: str
    errors: dict[str, str] | None = None


class Conflict(Exception):
    """The object's state does not allow this action (HTTP 409). The message is Chinese and shown as is."""


def error_body(detail: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The one error shape, as a dict (for `Status(code, error_body(...))` or a handler)."""
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: dict[str, str] | None = None
) -> HttpResponse:
    """The one error answer: `Error` with the true HTTP status."""
    return api.create_response(request, error_body(detail, errors), status=status)


def invalid(error: DjangoValidationError) -> Status:
    """A service's refusal as the 422 answer, for an operation that returns it rather than raising it."""
    return Status(422, error_body(INVALID, field_errors(error)))


def refusal(error: DjangoValidationError, detail: str = "") -> DjangoValidationError:
    """The refusal answered 422 with `detail` (by default its own messages joined by "；") rather than
    INVALID: for the operations whose `detail` has always said what is wrong (the candidacies API)."""
    error.api_detail = detail or "；".join(field_errors(error).values())  # type: ignore[attr-defined]
    return error


@contextmanager
def messages_as_detail() -> Iterator[None]:
    """Inside, a service's refusal is answered with its messages as `detail` (see `refusal`)."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "api_detail"):
            refusal(error)
        raise


def field_errors(error: DjangoValidationError) -> dict[str, str]:
    """Django's ValidationError as {field: messages joined by "；"}; one without fields goes to `__all__`."""
    if hasattr(error, "error_dict"):
        return {field: "；".join(messages) for field, messages in error.message_dict.items()}
    return {"__all__": "；".join(error.messages)}


# pydantic's error types in Chinese; an unknown type keeps pydantic's English message.
_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_type": "须为文本",
    "string_too_short": "长度不能少于 {min_length} 个字",
    "string_too_long": "长度不能超过 {max_length} 个字",
    "string_pattern_mismatch": "格式不对",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数部分位数过多",
    "finite_number": "须为有限的数字",
    "bool_type": "须为是或否",
    "bool_parsing": "须为是或否",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "须为日期（YYYY-MM-DD）",
    "datetime_type": "须为日期时间",
    "datetime_parsing": "须为日期时间",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "json_invalid": "不是有效的 JSON",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "extra_forbidden": "不认识的字段",
}

# Where ninja says an input came from; not part of the field's name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_name(location: Iterable[Any], body_names: set[str]) -> str:
    # pydantic puts the member of a union it tried into the location (`dict[int,nullable[int]]`,
    # `function-wrap[...]`, `[key]`): not a field, left out of the name.
    parts = [str(part) for part in location if not any(mark in str(part) for mark in "[(")]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        # The body parameter's own name (`payload`) is not a field of the body.
        if source == "body" and len(parts) > 1 and parts[0] in body_names:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _message(error: dict[str, Any]) -> str:
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", "格式不对"))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return str(error.get("msg", "格式不对"))


def request_errors(errors: list[dict[str, Any]], body_names: set[str] | None = None) -> dict[str, str]:
    """ninja's (pydantic's) list of errors as {field: Chinese messages joined by "；"}."""
    result: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()), body_names or {"payload"})
        message = _message(error)
        if message not in result.setdefault(name, []):
            result[name].append(message)
    return {name: "；".join(messages) for name, messages in result.items()}


def register_handlers(api: NinjaAPI) -> None:
    """Answer every refusal of the API in the one shape; called once, where the NinjaAPI is built."""

    def handle(exception_class, status: int, detail):
        def handler(request, exc):
            return error_response(api, request, status, detail(exc))

        api.add_exception_handler(exception_class, handler)

    handle(AuthenticationError, 401, lambda exc: UNAUTHENTICATED)
    handle(Http404, 404, lambda exc: NOT_FOUND)
    handle(PermissionDenied, 403, lambda exc: FORBIDDEN)
    handle(Conflict, 409, str)
    handle(BadInput, 400, str)
    handle(RequestDataTooBig, 413, lambda exc: too_big_message())

    def invalid_data(request, exc):
        return error_response(api, request, 422, getattr(exc, "api_detail", INVALID), field_errors(exc))

    def invalid_request(request, exc):
        return error_response(api, request, 422, "请求参数有误", request_errors(exc.errors))

    def http_error(request, exc):
        detail = str(exc)
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "请求内容不是有效的 JSON"
        return error_response(api, request, exc.status_code, detail)

    api.add_exception_handler(DjangoValidationError, invalid_data)
    api.add_exception_handler(NinjaValidationError, invalid_request)
    api.add_exception_handler(HttpError, http_error)


# -- the schema: which statuses each operation documents ---------------------------------------------------

BODY_METHODS = {"POST", "PUT", "PATCH"}


def error_statuses(operation) -> set[int]:
    """The error statuses an operation can answer (besides those its `response=` already names)."""
    methods = set(operation.methods)
    statuses = {401, 403, 404}
    if operation.models:  # any parameter or body: malformed (400) or invalid (422)
        statuses |= {400, 422}
    if methods & BODY_METHODS:
        statuses |= {400, 413, 422}
    if "PUT" in methods:
        statuses.add(412)
    return statuses


def document_errors(routers: Iterable[Any]) -> None:
    """Add `Error` for every error status an operation can answer to its responses (schema and checks)."""
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for status in sorted(error_statuses(operation)):
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(Error)

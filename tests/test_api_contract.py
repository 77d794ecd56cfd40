"""The API contract: schemathesis drives every operation of /api/v1/openapi.json in-process (the WSGI app, no
server) with the bearer token of each persona and without one, and every answer must be what the schema
says: no 5xx, a documented status code, a body that matches the documented schema.

Bounded and deterministic: hypothesis is derandomized (the same examples on every run), without shrinking
or its example database; per operation a few schema-valid examples, a few schema-violating ones, and a few
valid ones aimed at objects that exist (a person, a candidacy, a township of the world below), each sent
as every persona. A failure names the operation, the persona, the check and the request to replay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from yanzhen.accounts.models import ApiToken, User
from yanzhen.wsgi import application

from . import elections_support, stats_world
from .conftest import HUAMACHI, HUAMACHI_VILLAGE, PERSONAS

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Examples per operation and kind; every example is sent once per persona (and once without a token).
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 5}
KNOWN_EXAMPLES = 5
# Personas each example after the first is sent as (the first goes to all of them).
PER_EXAMPLE = 2


def _settings(examples: int) -> Callable:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing request is reported
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called directly, not through Django's test client, so each request's end would close the
    database connection, as in production; inside the test's transaction on PostgreSQL that closes it for good
    ("the connection is closed"). Do what the test client does: leave the connection open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db) -> dict[str, str | None]:
    """A bearer token of each persona, and no token at all."""
    issued: dict[str, str | None] = {"anonymous": None}
    for username in PERSONAS:
        _, raw = ApiToken.issue(User.objects.get(username=username), name="contract")
        issued[username] = raw
    return issued


@pytest.fixture
def known_objects(db) -> dict[str, str | int]:
    """Path values of objects that exist, so that generated requests also reach past the lookup."""
    world = stats_world.build(User.objects.get(username="county"))
    person = next(iter(world.people.values()))
    candidacy = next(iter(world.candidacies.values()))
    election = elections_support.open_election()
    candidate = elections_support.propose(election, world.people["K"], "member")
    return {
        "person_id": person.pk,
        "candidacy_id": candidacy.pk,
        "election_id": election.pk,
        "candidate_id": candidate.pk,
        "code": HUAMACHI,
        "post": "secretary",
        "village": HUAMACHI_VILLAGE,
    }


def _exercise(operation, strategy, tokens, failures: list[str], statuses: Counter, examples: int) -> None:
    personas = list(tokens.items())
    sent = 0

    @_settings(examples)
    @given(case=strategy)
    def run(case):
        # The first example goes to every persona (and to no token); each later one to the next PER_EXAMPLE in
        # turn. So every persona is answered for every operation and kind even where hypothesis finds a single
        # example, at under half the cost of sending every example as everyone: the app's answer depends on the
        # persona through the same guards whatever the example.
        nonlocal sent
        if sent == 0:
            chosen = personas
        else:
            chosen = [personas[(sent + offset) % len(personas)] for offset in range(PER_EXAMPLE)]
        sent += PER_EXAMPLE
        for persona, token in chosen:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            try:
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (
                Exception,
                BaseExceptionGroup,
            ) as failure:  # schemathesis' FailureGroup is a BaseExceptionGroup
                failures.append(f"{operation.label} as {persona}:\n{failure}")
                raise

    try:
        run()
    except (Exception, BaseExceptionGroup):  # recorded above; the other operations still run
        pass


def test_every_operation_keeps_its_contract_for_every_persona(tokens, known_objects):
    # pytest-django runs with DEBUG off, as in production: the schema is fetched with a token.
    authorization = {"Authorization": f"Bearer {tokens['auditor']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, headers=authorization)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 38, "operations went missing from the schema"
    failures: list[str] = []
    statuses: Counter = Counter()
    tried = 0
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            _exercise(
                operation, operation.as_strategy(generation_mode=mode), tokens, failures, statuses, examples
            )
            tried += 1
        path_names = {parameter.name for parameter in operation.path_parameters}
        if path_names and path_names <= known_objects.keys():
            known = {name: known_objects[name] for name in path_names}
            strategy = operation.as_strategy(path_parameters=known)
            _exercise(operation, strategy, tokens, failures, statuses, KNOWN_EXAMPLES)
            tried += 1
    assert tried >= 2 * len(operations)
    # The run reached past authentication and lookups: it created, read, refused and validated.
    assert {200, 400, 401, 403, 404, 409, 422} <= statuses.keys(), statuses
    assert failures == [], "\n\n".join(failures)


# -- the one error shape -----------------------------------------------------------------------------------


def test_ninja_request_validation_answers_the_error_shape_with_chinese_messages(client_for):
    response = client_for("county").get("/api/v1/persons?limit=0&township=6403")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误",
        "errors": {"limit": "不能小于 1", "township": "格式不对"},
    }


def test_a_body_missing_fields_answers_them_by_name(client_for):
    response = client_for("county").post("/api/v1/persons", "{}", content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误",
        "errors": {"name": "必填", "village": "必填", "political_status": "必填"},
    }


def test_an_unreadable_body_is_400_in_the_error_shape(client_for):
    response = client_for("county").post("/api/v1/persons", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容不是有效的 JSON"}


def test_a_service_refusal_keeps_its_field_messages(client_for):
    body = {"name": "韩某", "village": "999999999999", "political_status": "01"}
    response = client_for("county").post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "提交的数据有误，未保存",
        "errors": {"village": "居住村代码 999999999999 不存在"},
    }


def test_every_operation_documents_its_error_statuses_with_the_one_error_schema(client_for):
    document = client_for("auditor").get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert error["properties"]["errors"]["anyOf"][0] == {
        "additionalProperties": {"type": "string"},
        "type": "object",
    }
    reference = {"$ref": "#/components/schemas/Error"}
    operations = [(method, path, o) for path, item in document["paths"].items() for method, o in item.items()]
    assert len(operations) >= 38
    for method, path, operation in operations:
        responses = operation["responses"]
        expected = {"401", "403", "404"}
        if method in {"post", "put", "patch"}:
            expected |= {"400", "413", "422"}
        if method == "put":
            expected.add("412")
        for status in expected:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == reference, f"{method.upper()} {path} {status}"
    transitions = document["paths"]["/api/v1/candidacies/{candidacy_id}/transitions"]["post"]["responses"]
    assert transitions["409"]["content"]["application/json"]["schema"] == reference


# -- /api/v1/docs and /api/v1/openapi.json: open in debug and the demo, behind a login in production --------


def _production(settings):
    settings.DEBUG = False
    settings.DEMO = False


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_docs_are_open_in_debug_and_in_the_demo(client, settings, url):
    settings.DEBUG = True
    assert client.get(url).status_code == 200
    settings.DEBUG, settings.DEMO = False, True
    assert client.get(url).status_code == 200


def test_production_schema_needs_a_login_or_a_token(client, settings, persona):
    _production(settings)
    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "未登录或令牌无效"}
    wrong = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer yz_not-a-token")
    assert wrong.status_code == 401
    token, raw = ApiToken.issue(persona("auditor"))
    with_token = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200 and "paths" in with_token.json()
    token.revoked = True
    token.save()
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_production_docs_page_sends_an_anonymous_browser_to_the_login(client, settings, client_for):
    _production(settings)
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/v1/docs"
    logged_in = client_for("cunshuji")
    assert logged_in.get("/api/v1/docs").status_code == 200
    assert logged_in.get("/api/v1/openapi.json").status_code == 200


def test_a_union_field_is_named_without_pydantic_type_tags(client_for):
    body = {"term_id": 1, "month": "2024-05", "scores": {"x": None}}
    response = client_for("county").post(
        "/api/v1/incumbents/monthly-scores", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误",
        "errors": {"scores.x": "须为整数", "scores": "须为列表"},
    }

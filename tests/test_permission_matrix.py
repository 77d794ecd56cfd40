"""Every URL × every role. Adding a URL without a row here fails `test_every_url_has_a_row`.

Each row gives the path to request (with a sample code inside 花马池镇 where the URL takes one) and the
expected status per persona. 404 is what any record outside the persona's jurisdiction answers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "county", "huamachi", "dashuikeng", "cunshuji", "auditor", "outsider"]
V = "640323100200"  # a village of 花马池镇


def row(path, *statuses):
    assert len(statuses) == len(ROLES)
    return path, dict(zip(ROLES, statuses, strict=True))


# name: (path, {role: status})      anon county huamachi dashuikeng cunshuji auditor outsider
MATRIX = {
    "home": row("/", 302, 200, 200, 200, 200, 200, 200),
    "search": row("/search/?q=村", 302, 200, 200, 200, 200, 200, 200),
    "audit-log": row("/audit/", 302, 200, 403, 403, 403, 200, 200),
    "system": row("/system/", 302, 200, 403, 403, 403, 403, 200),
    "vocabulary-detail": row("/system/vocabularies/skills/", 302, 200, 403, 403, 403, 403, 200),
    # 三员分立: the system administrator's accounts and the security administrator's pages; no persona here
    # holds those roles (tests/test_separation_of_duties.py walks every URL for the three who do).
    "system-users": row("/system/users/", 302, 403, 403, 403, 403, 403, 403),
    "system-user-create": row("/system/users/new/", 302, 403, 403, 403, 403, 403, 403),
    "system-user-edit": row("/system/users/1/", 302, 403, 403, 403, 403, 403, 403),
    "security": row("/security/", 302, 403, 403, 403, 403, 403, 403),
    "security-accounts": row("/security/accounts/", 302, 403, 403, 403, 403, 403, 403),
    "security-unlock": row("/security/accounts/1/unlock/", 302, 405, 405, 405, 405, 405, 405),
    "security-reset-two-factor": row(
        "/security/accounts/1/reset-two-factor/", 302, 405, 405, 405, 405, 405, 405
    ),
    # Two-factor login: everyone may enrol; the code page sends on whoever owes no code.
    "two-factor": row("/accounts/two-factor/", 302, 200, 200, 200, 200, 200, 200),
    "two-factor-verify": row("/accounts/two-factor/verify/", 302, 302, 302, 302, 302, 302, 302),
    "two-factor-recovery-codes": row(
        "/accounts/two-factor/recovery-codes/", 302, 405, 405, 405, 405, 405, 405
    ),
    # The holiday schedule is nationwide: every administrator reads it (only the top one writes it).
    "holidays:index": row("/system/holidays/", 302, 200, 403, 403, 403, 403, 200),
    "holidays:year": row("/system/holidays/2027/", 302, 200, 403, 403, 403, 403, 200),
    # 换届: every user of the county sees its elections (an outsider sees none of them).
    "elections:index": row("/elections/", 302, 200, 200, 200, 200, 200, 200),
    # The election's pages: the county plans; a township clerk works on his own villages; readers look.
    "elections:create": row("/elections/new/", 302, 200, 403, 403, 403, 403, 200),
    "elections:detail": row("/elections/{election}/", 302, 200, 200, 200, 200, 200, 404),
    "elections:plan": row("/elections/{election}/plan/", 302, 200, 403, 403, 403, 403, 404),
    "elections:advance": row("/elections/{election}/advance/", 302, 405, 405, 405, 405, 405, 405),
    "elections:village": row(f"/elections/{{election}}/villages/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "elections:propose": row(
        f"/elections/{{election}}/villages/{V}/propose/", 302, 405, 405, 405, 405, 405, 405
    ),
    "elections:publicise": row(
        f"/elections/{{election}}/villages/{V}/publicise/", 302, 405, 405, 405, 405, 405, 405
    ),
    "elections:results": row(
        f"/elections/{{election}}/villages/{V}/results/", 302, 200, 200, 404, 403, 403, 404
    ),
    "elections:township-results": row(
        "/elections/{election}/townships/640323100/results/", 302, 200, 200, 404, 404, 403, 404
    ),
    "elections:withdraw": row(
        "/elections/{election}/candidates/{e_candidate}/withdraw/", 302, 405, 405, 405, 405, 405, 405
    ),
    "elections:reply": row(
        "/elections/{election}/candidates/{e_candidate}/reply/", 302, 405, 405, 405, 405, 405, 405
    ),
    "elections:handovers": row("/elections/{election}/handovers/", 302, 200, 200, 200, 200, 200, 404),
    "elections:handover": row("/elections/{election}/handovers/1/", 302, 405, 405, 405, 405, 405, 405),
    # The elections API: every user of the county reads (a clerk his own villages); the county plans.
    "api-v1:list_elections": row("/api/v1/elections", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_election": row("/api/v1/elections", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_election": row("/api/v1/elections/{election}", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:update_election": row("/api/v1/elections/{election}", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:change_election_state": row(
        "/api/v1/elections/{election}/state", 405, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:list_candidates": row(
        "/api/v1/elections/{election}/candidates", 401, 200, 200, 200, 200, 200, 404
    ),
    "api-v1:propose_candidate": row(
        "/api/v1/elections/{election}/candidates", 401, 200, 200, 200, 200, 200, 404
    ),
    "api-v1:withdraw_candidate": row(
        "/api/v1/elections/{election}/candidates/{e_candidate}/withdraw", 405, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:record_review": row("/api/v1/elections/{election}/reviews", 405, 405, 405, 405, 405, 405, 405),
    "api-v1:list_notices": row("/api/v1/elections/{election}/notices", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:publicise_slate": row("/api/v1/elections/{election}/notices", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:list_results": row("/api/v1/elections/{election}/results", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:record_results": row("/api/v1/elections/{election}/results", 401, 200, 200, 200, 200, 200, 404),
    "api-v1:get_report": row("/api/v1/elections/{election}/report", 401, 200, 200, 200, 200, 200, 404),
    # The report filed upward (a township clerk's own villages) and the printable slate and results of V.
    "elections:report": row("/elections/{election}/report/", 302, 200, 200, 200, 200, 200, 404),
    "elections:report-xlsx": row("/elections/{election}/report.xlsx", 302, 200, 200, 200, 200, 200, 404),
    "elections:print-slate": row(
        f"/elections/{{election}}/villages/{V}/print/slate/", 302, 200, 200, 404, 200, 200, 404
    ),
    "elections:print-results": row(
        f"/elections/{{election}}/villages/{V}/print/results/", 302, 200, 200, 404, 200, 200, 404
    ),
    # Uploads of the election: the county and its township clerks (each for his own villages); readers 403.
    "elections:upload-replies": row(
        "/elections/{election}/uploads/replies/", 302, 200, 200, 200, 403, 403, 404
    ),
    "elections:upload-replies-template": row(
        "/elections/{election}/uploads/replies/template.xlsx", 302, 200, 200, 200, 403, 403, 404
    ),
    "elections:upload-results": row(
        "/elections/{election}/uploads/results/", 302, 200, 200, 200, 403, 403, 404
    ),
    "elections:upload-results-template": row(
        "/elections/{election}/uploads/results/template.xlsx", 302, 200, 200, 200, 403, 403, 404
    ),
    "healthz": row("/healthz", 200, 200, 200, 200, 200, 200, 200),
    "favicon": row("/favicon.ico", 200, 200, 200, 200, 200, 200, 200),
    "division-tree": row("/divisions/", 302, 200, 200, 200, 200, 200, 200),
    # The 乡镇 → 村 filter's villages of a township: another township (or county) answers 404.
    "division-village-options": row(
        "/divisions/filter/villages/?township=640323100", 302, 200, 200, 404, 404, 200, 404
    ),
    "division-detail": row(f"/divisions/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "village-edit": row(f"/divisions/{V}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "login": row("/accounts/login/", 200, 302, 302, 302, 302, 302, 302),
    "logout": row("/accounts/logout/", 302, 405, 405, 405, 405, 405, 405),
    "password-change": row("/accounts/password/", 302, 200, 200, 200, 200, 200, 200),
    "reauthenticate": row("/accounts/reauth/?next=/people/", 302, 200, 200, 200, 200, 200, 200),
    "set_language": row("/i18n/setlang/", 302, 302, 302, 302, 302, 302, 302),
    "api-v1:api-root": row("/api/v1/", 404, 404, 404, 404, 404, 404, 404),
    # The API's map needs a login or a token outside DEBUG and the demo (pytest runs with DEBUG off).
    "api-v1:openapi-json": row("/api/v1/openapi.json", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:openapi-view": row("/api/v1/docs", 302, 200, 200, 200, 200, 200, 200),
    "api-v1:get_division": row(f"/api/v1/divisions/{V}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:get_children": row(f"/api/v1/divisions/{V}/children", 401, 200, 200, 404, 200, 200, 404),
    # One person's archive: {person} and {attachment} are the known person of V (builder `known`).
    "people:create": row("/people/new/", 302, 200, 200, 200, 403, 403, 200),
    "people:archive": row("/people/{person}/", 302, 200, 200, 404, 200, 200, 404),
    "people:edit": row("/people/{person}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "people:reveal": row("/people/{person}/reveal/", 302, 405, 405, 405, 405, 405, 405),
    "people:attachment-upload": row("/people/{person}/attachments/", 302, 405, 405, 405, 405, 405, 405),
    "people:photo": row("/people/{person}/photo/", 302, 405, 405, 405, 405, 405, 405),
    "people:photo-image": row("/people/{person}/photo/image", 302, 200, 200, 404, 200, 200, 404),
    "people:print": row("/people/{person}/print/", 302, 200, 200, 404, 200, 200, 404),
    "people:lrmx": row("/people/{person}/export.lrmx", 302, 200, 200, 404, 200, 403, 404),
    "people:attachment": row("/people/attachments/{attachment}/", 302, 200, 200, 404, 200, 200, 404),
    # The person list, its export and the persons API; create/update share the paths of list/get (GET here).
    "people:list": row("/people/", 302, 200, 200, 200, 200, 200, 200),
    "people:export": row("/people/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    # 加入培训… of the ticked people: a person outside the jurisdiction is not selected (400: no one).
    "cultivation:enrol-selected": row(
        "/cultivation/trainings/enrol-selected/?selected={person}", 302, 200, 200, 400, 403, 403, 400
    ),
    "api-v1:list_persons": row("/api/v1/persons", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_person": row("/api/v1/persons", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_person": row("/api/v1/persons/{person}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:update_person": row("/api/v1/persons/{person}", 401, 200, 200, 404, 200, 200, 404),
    # Village posts: {seat} and {term} are a secretary seat of V and its incumbent's term (builder `known_post`).
    "posts:index": row("/posts/", 302, 200, 200, 200, 200, 200, 200),
    "posts:village-seats": row(f"/posts/villages/{V}/seats/", 302, 200, 200, 404, 403, 403, 404),
    "posts:appoint": row("/posts/seats/{seat}/appoint/", 302, 200, 200, 404, 403, 403, 404),
    "posts:end-term": row("/posts/terms/{term}/end/", 302, 200, 200, 404, 403, 403, 404),
    "posts:types": row("/posts/types/", 302, 200, 403, 403, 403, 403, 200),
    "posts:type-create": row("/posts/types/new/", 302, 200, 403, 403, 403, 403, 200),
    "posts:type-edit": row("/posts/types/secretary/edit/", 302, 200, 403, 403, 403, 403, 200),
    "api-v1:list_seats": row(f"/api/v1/posts?village={V}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:list_post_types": row("/api/v1/posts/types", 401, 200, 200, 200, 200, 200, 200),
    # Assessment (管): {reserve} is a reserve of V with two 不称职 (builder `known_assessment`): his first
    # {assessment}, the {proposal} they made, a {report} and a {commendation} with files, a {campaign} of 盐池县.
    "assessments:index": row("/assessment/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:list": row("/assessment/assessments/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:create": row(
        "/assessment/assessments/new/?person={reserve}", 302, 200, 200, 404, 200, 403, 404
    ),
    "assessments:batch": row(
        f"/assessment/assessments/batch/?division={V}", 302, 200, 200, 404, 200, 403, 404
    ),
    "assessments:edit": row("/assessment/assessments/{assessment}/edit/", 302, 200, 200, 404, 200, 403, 404),
    "assessments:delete": row(
        "/assessment/assessments/{assessment}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:reports": row("/assessment/reports/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:overdue": row("/assessment/reports/overdue/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:report-create": row(
        "/assessment/reports/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:report-detail": row("/assessment/reports/{report}/", 302, 200, 200, 404, 200, 200, 404),
    "assessments:report-attachment": row(
        "/assessment/reports/{report}/attachment", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:proposals": row("/assessment/proposals/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:proposal-detail": row(
        "/assessment/proposals/{proposal}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:notice-board": row("/assessment/notice-board/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:campaigns": row("/assessment/campaigns/", 302, 200, 200, 200, 200, 200, 200),
    "assessments:campaign-open": row("/assessment/campaigns/new/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:campaign-detail": row(
        "/assessment/campaigns/{campaign}/", 302, 200, 200, 200, 200, 200, 404
    ),
    "assessments:checkup": row(
        "/assessment/campaigns/{campaign}/people/{reserve}/", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:commendation-create": row(
        "/assessment/commendations/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:discipline-create": row(
        "/assessment/discipline/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:discipline-edit": row(
        "/assessment/discipline/{discipline}/edit/", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:discipline-delete": row(
        "/assessment/discipline/{discipline}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:tolerance-create": row(
        "/assessment/tolerance/new/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:tolerance-detail": row(
        "/assessment/tolerance/{tolerance}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:commendation-document": row(
        "/assessment/commendations/{commendation}/document", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:incumbent-items": row("/assessment/incumbents/items/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:incumbents": row(f"/assessment/incumbents/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "assessments:incumbent-batch": row(
        f"/assessment/incumbents/{V}/batch/", 302, 200, 200, 404, 403, 403, 404
    ),
    # Incumbents' pages: {i_score}, {i_review} and {i_proposal} are two low monthly scores of an incumbent of V,
    # his 双述双评 and the pending adjustment proposal a county rule made of them (builder `known_incumbent`).
    "assessments:incumbent-rules": row("/assessment/incumbents/rules/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:incumbent-score-edit": row(
        "/assessment/incumbents/scores/{i_score}/edit/", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:incumbent-score-delete": row(
        "/assessment/incumbents/scores/{i_score}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    # The Excel round trip of a month's scores ({i_month}: a month of the county's items, `known_incumbent`).
    "assessments:incumbent-score-template": row(
        f"/assessment/incumbents/scores/template.xlsx?division={V}&month={{i_month}}",
        302,
        200,
        200,
        404,
        403,
        403,
        404,
    ),
    "assessments:incumbent-score-import": row(
        f"/assessment/incumbents/scores/import/?division={V}&month=2024-05", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:incumbent-reviews": row(
        "/assessment/incumbents/reviews/", 302, 200, 200, 200, 200, 200, 200
    ),
    "assessments:incumbent-reviews-export": row(
        f"/assessment/incumbents/reviews/export.xlsx?division={V}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:incumbent-review-edit": row(
        "/assessment/incumbents/reviews/{i_review}/edit/", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:incumbent-review-delete": row(
        "/assessment/incumbents/reviews/{i_review}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:incumbent-proposals": row(
        "/assessment/incumbents/proposals/", 302, 200, 200, 200, 200, 200, 200
    ),
    "assessments:incumbent-proposal-detail": row(
        "/assessment/incumbents/proposals/{i_proposal}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:incumbent-analysis": row(
        f"/assessment/incumbents/analysis/?division={V}&period=2024H1", 302, 200, 200, 404, 200, 200, 404
    ),
    "assessments:incumbent-analysis-export": row(
        f"/assessment/incumbents/analysis/export.xlsx?division={V}", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:settings": row("/assessment/settings/", 302, 200, 403, 403, 403, 403, 200),
    "assessments:self-service": row("/assessment/me/", 302, 403, 403, 403, 403, 403, 403),
    "assessments:self-service-link": row(
        "/assessment/me/link/?person={reserve}", 302, 200, 200, 404, 403, 403, 404
    ),
    # A reserve's own login from his archive: POST only (tests/test_reserve_logins.py covers the roles).
    "assessments:reserve-login-create": row(
        "/assessment/people/{reserve}/login/create/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:reserve-login-reset": row(
        "/assessment/people/{reserve}/login/reset/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:reserve-login-disable": row(
        "/assessment/people/{reserve}/login/disable/", 302, 405, 405, 405, 405, 405, 405
    ),
    "assessments:reserve-login-enable": row(
        "/assessment/people/{reserve}/login/enable/", 302, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:list_assessments": row("/api/v1/assessments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_assessment": row("/api/v1/assessments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:list_reports": row("/api/v1/reports", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_report": row("/api/v1/reports", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:list_discipline": row("/api/v1/discipline", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_discipline": row("/api/v1/discipline", 401, 200, 200, 200, 200, 200, 200),
    # Incumbents (在职村干部): the county's items, monthly scores, 双述双评 and adjustment proposals. The paths
    # of a proposal taking an id are write-only (POST): a GET is 405 whatever the id; a monthly score and a
    # 双述双评 record are read by id too (GET, with the ETag a PUT sends back as If-Match).
    "api-v1:list_incumbent_score_items": row(
        "/api/v1/incumbents/items?county=640323", 401, 200, 200, 200, 200, 200, 404
    ),
    "api-v1:list_monthly_scores": row(
        f"/api/v1/incumbents/monthly-scores?division={V}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:create_monthly_score": row(
        "/api/v1/incumbents/monthly-scores", 401, 200, 200, 200, 200, 200, 200
    ),
    # One record by id (its ETag is the version a PUT sends as If-Match): the known incumbent's.
    "api-v1:get_monthly_score": row(
        "/api/v1/incumbents/monthly-scores/{i_score}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:update_monthly_score": row(
        "/api/v1/incumbents/monthly-scores/{i_score}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:delete_monthly_score": row(
        "/api/v1/incumbents/monthly-scores/{i_score}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:list_annual_reviews": row(
        f"/api/v1/incumbents/annual-reviews?division={V}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:create_annual_review": row(
        "/api/v1/incumbents/annual-reviews", 401, 200, 200, 200, 200, 200, 200
    ),
    # One record by id (its ETag is the version a PUT sends as If-Match): the known incumbent's.
    "api-v1:get_annual_review": row(
        "/api/v1/incumbents/annual-reviews/{i_review}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:update_annual_review": row(
        "/api/v1/incumbents/annual-reviews/{i_review}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:delete_annual_review": row(
        "/api/v1/incumbents/annual-reviews/{i_review}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:list_adjustment_proposals": row(
        f"/api/v1/incumbents/proposals?division={V}", 401, 200, 200, 404, 200, 200, 404
    ),
    "api-v1:confirm_adjustment_proposal": row(
        "/api/v1/incumbents/proposals/1/confirm", 405, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:reject_adjustment_proposal": row(
        "/api/v1/incumbents/proposals/1/reject", 405, 405, 405, 405, 405, 405, 405
    ),
    "assessments:export": row(
        "/assessment/assessments/export.xlsx?division=640323100", 302, 200, 200, 404, 403, 403, 404
    ),
    "assessments:overdue-export": row(
        "/assessment/reports/overdue/export.xlsx?division=640323100", 302, 200, 200, 404, 403, 403, 404
    ),
    # Rosters: {upload} is a roster upload of the 花马池镇 clerk (builder `staged_roster`), private to her.
    "rosters:index": row("/rosters/", 302, 200, 200, 200, 200, 200, 200),
    "rosters:upload": row("/rosters/upload/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:preview": row("/rosters/uploads/{upload}/", 302, 404, 200, 404, 404, 404, 404),
    "rosters:confirm": row("/rosters/uploads/{upload}/confirm/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:report": row("/rosters/uploads/{upload}/report.xlsx", 302, 404, 200, 404, 404, 404, 404),
    "rosters:discard": row("/rosters/uploads/{upload}/discard/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:discard-failed": row("/rosters/uploads/discard-failed/", 302, 405, 405, 405, 405, 405, 405),
    "rosters:template": row("/rosters/template.xlsx", 302, 200, 200, 200, 200, 200, 200),
    "rosters:export": row("/rosters/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "rosters:lrmx": row("/rosters/lrmx/", 302, 200, 200, 200, 403, 403, 200),
    # Reserve pipeline: {candidacy} is a candidacy of V in its 公示 ({notice}) with a {document} (fixture
    # `known_candidacy`); POST-only URLs answer GET with 405.
    "candidacies:board": row("/reserves/", 302, 200, 200, 200, 200, 200, 200),
    "candidacies:nominate": row("/reserves/nominate/", 302, 200, 200, 200, 200, 403, 200),
    "candidacies:nominate-targets": row("/reserves/nominate/targets/", 302, 200, 200, 200, 200, 403, 200),
    "candidacies:export": row("/reserves/export/", 302, 200, 200, 200, 403, 403, 200),
    "candidacies:notice-earliest-end": row(
        f"/reserves/notices/earliest-end/?start=2024-09-27&in={V}", 302, 200, 200, 404, 200, 200, 404
    ),
    "candidacies:detail": row("/reserves/{candidacy}/", 302, 200, 200, 404, 200, 200, 404),
    "candidacies:transition": row("/reserves/{candidacy}/to/in_pool/", 302, 405, 405, 405, 405, 405, 405),
    "candidacies:objection-add": row("/reserves/{candidacy}/objections/", 302, 405, 405, 405, 405, 405, 405),
    "candidacies:objection-resolve": row(
        "/reserves/{candidacy}/objections/1/resolve/", 302, 405, 405, 405, 405, 405, 405
    ),
    "candidacies:document-add": row("/reserves/{candidacy}/documents/", 302, 405, 405, 405, 405, 405, 405),
    "candidacies:document": row("/reserves/documents/{document}/", 302, 200, 200, 404, 200, 200, 404),
    "candidacies:notice-start": row("/reserves/notices/start/", 302, 200, 200, 200, 403, 403, 200),
    "candidacies:notice-print": row("/reserves/notices/{notice}/", 302, 200, 200, 404, 404, 200, 404),
    "candidacies:county-rules": row("/reserves/rules/640323/", 302, 200, 404, 404, 404, 403, 404),
    "api-v1:list_candidacies": row("/api/v1/candidacies", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_candidacy": row("/api/v1/candidacies", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_candidacy": row("/api/v1/candidacies/{candidacy}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:transition_candidacy": row(
        "/api/v1/candidacies/{candidacy}/transitions", 405, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:record_candidacy_objection": row(
        "/api/v1/candidacies/{candidacy}/objections", 405, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:resolve_candidacy_objection": row(
        "/api/v1/candidacies/{candidacy}/objections/1/resolution", 405, 405, 405, 405, 405, 405, 405
    ),
    # Cultivation (育): {c_*} are records of a reserve of V (builder `known_cultivation`): a training of 花马池镇
    # he attends, his mentorship, secondment, practice post, cyclic programme with its assignment, degree study
    # and growth plan item.
    "cultivation:index": row("/cultivation/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:rules": row("/cultivation/rules/", 302, 200, 403, 403, 403, 403, 200),
    "cultivation:training-list": row("/cultivation/trainings/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:training-create": row("/cultivation/trainings/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:training-detail": row(
        "/cultivation/trainings/{c_training}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "cultivation:training-edit": row(
        "/cultivation/trainings/{c_training}/edit/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:training-enrol": row(
        "/cultivation/trainings/{c_training}/enrol/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:training-roster": row(
        "/cultivation/trainings/{c_training}/roster/", 302, 405, 405, 405, 405, 405, 405
    ),
    "cultivation:training-export": row(
        "/cultivation/trainings/{c_training}/roster.xlsx", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:hours": row("/cultivation/hours/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:mentor-list": row("/cultivation/mentors/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:mentor-create": row("/cultivation/mentors/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:mentorship-list": row("/cultivation/mentorships/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:mentorship-create": row("/cultivation/mentorships/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:mentorship-detail": row(
        "/cultivation/mentorships/{c_mentorship}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "cultivation:mentorship-end": row(
        "/cultivation/mentorships/{c_mentorship}/end/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:secondment-list": row("/cultivation/secondments/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:secondment-create": row("/cultivation/secondments/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:secondment-detail": row(
        "/cultivation/secondments/{c_secondment}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "cultivation:secondment-report": row(
        "/cultivation/secondments/{c_secondment}/report/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:secondment-evaluation": row(
        "/cultivation/secondments/{c_secondment}/evaluation/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:practice-list": row("/cultivation/practice-posts/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:practice-create": row("/cultivation/practice-posts/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:practice-end": row(
        "/cultivation/practice-posts/{c_practice}/end/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:cyclic-list": row("/cultivation/cyclic/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:cyclic-create": row("/cultivation/cyclic/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:cyclic-detail": row("/cultivation/cyclic/{c_programme}/", 302, 200, 200, 404, 200, 200, 404),
    "cultivation:cyclic-round-create": row(
        "/cultivation/cyclic/{c_programme}/rounds/new/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:assignment": row(
        "/cultivation/cyclic/assignments/{c_assignment}/", 302, 200, 200, 404, 200, 200, 404
    ),
    "cultivation:degree-list": row("/cultivation/degrees/", 302, 200, 200, 200, 200, 200, 200),
    "cultivation:degree-create": row("/cultivation/degrees/new/", 302, 200, 200, 200, 403, 403, 200),
    "cultivation:degree-finish": row(
        "/cultivation/degrees/{c_degree}/finish/", 302, 200, 200, 404, 403, 403, 404
    ),
    "cultivation:growth": row("/cultivation/people/{c_person}/", 302, 200, 200, 404, 200, 200, 404),
    "cultivation:growth-item-add": row(
        "/cultivation/people/{c_person}/items/", 302, 405, 405, 405, 405, 405, 405
    ),
    "cultivation:growth-item-done": row(
        "/cultivation/plan-items/{c_item}/done/", 302, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:list_trainings": row("/api/v1/trainings", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_training": row("/api/v1/trainings", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:list_mentorships": row("/api/v1/mentorships", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_mentorship": row("/api/v1/mentorships", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:list_secondments": row("/api/v1/secondments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_secondment": row("/api/v1/secondments", 401, 200, 200, 200, 200, 200, 200),
    # Statistics: the figures of V on a date (the user's own division when none is given).
    "stats:dashboard": row(f"/statistics/?division={V}&as_of=2021-04-19", 302, 200, 200, 404, 200, 200, 404),
    "stats:people": row(
        f"/statistics/people/?division={V}&group=age&key=under_35", 302, 200, 200, 404, 200, 200, 404
    ),
    "stats:villages": row(f"/statistics/villages/?division={V}&covered=0", 302, 200, 200, 404, 200, 200, 404),
    "stats:warnings": row("/statistics/warnings/", 302, 200, 200, 200, 200, 200, 200),
    "stats:warning-cards": row("/statistics/warning-cards/", 302, 200, 200, 200, 200, 200, 200),
    "stats:warning": row(
        f"/statistics/warnings/uncovered-villages/?division={V}", 302, 200, 200, 404, 200, 200, 404
    ),
    "stats:structure-export": row(
        f"/statistics/structure.xlsx?division={V}", 302, 200, 200, 404, 200, 200, 404
    ),
    "stats:roster-export": row(f"/statistics/roster.xlsx?division={V}", 302, 200, 200, 404, 403, 403, 404),
    "stats:thresholds": row("/statistics/thresholds/", 302, 200, 403, 403, 403, 403, 200),
    "api-v1:stats": row(f"/api/v1/stats?division={V}", 401, 200, 200, 404, 200, 200, 404),
    # Matching (人岗相适): {plan} is a placement plan of 花马池镇 awaiting approval (builder `known_plan`).
    "matching:index": row("/matching/", 302, 200, 200, 200, 200, 200, 200),
    "matching:village": row(f"/matching/villages/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "matching:demand-edit": row(f"/matching/villages/{V}/demand/", 302, 200, 200, 404, 403, 403, 404),
    "matching:ranking": row(f"/matching/villages/{V}/posts/secretary/", 302, 200, 200, 404, 200, 200, 404),
    "matching:supply": row("/matching/supply/", 302, 200, 200, 200, 200, 200, 200),
    "matching:supply-export": row("/matching/supply.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "matching:weights": row("/matching/weights/", 302, 200, 403, 403, 403, 403, 200),
    "matching:placement-list": row("/matching/placements/", 302, 200, 200, 200, 200, 200, 200),
    "matching:placement-new": row("/matching/placements/new/", 302, 200, 200, 200, 403, 403, 200),
    "matching:placement-detail": row("/matching/placements/{plan}/", 302, 200, 200, 404, 404, 200, 404),
    "matching:placement-approve": row(
        "/matching/placements/{plan}/approve/", 302, 405, 405, 405, 405, 405, 405
    ),
    "matching:placement-discard": row(
        "/matching/placements/{plan}/discard/", 302, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:rank_for_post": row(
        f"/api/v1/matching/villages/{V}/posts/secretary", 401, 200, 200, 404, 200, 200, 404
    ),
    # 待遇保障 (issue 18 §3): the county administrator, the township clerks and the auditor read; editors write
    # and export; the county administrator sets the schemes and rules. {w_*}: builder `known_welfare`.
    "welfare:index": row("/welfare/", 302, 200, 200, 200, 403, 200, 200),
    "welfare:settings": row("/welfare/settings/", 302, 200, 403, 403, 403, 403, 200),
    "welfare:scheme-delete": row(
        "/welfare/settings/schemes/{w_scheme}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "welfare:pay-sheet": row(
        "/welfare/pay/?township=640323100&month=2026-04", 302, 200, 200, 404, 404, 200, 404
    ),
    "welfare:pay-sheet-export": row(
        "/welfare/pay/export.xlsx?township=640323100&month=2026-04", 302, 200, 200, 404, 404, 403, 404
    ),
    "welfare:coverage": row("/welfare/coverage/?township=640323100", 302, 200, 200, 404, 404, 200, 404),
    "welfare:register": row("/welfare/allowances/", 302, 200, 200, 200, 403, 200, 200),
    "welfare:register-export": row("/welfare/allowances/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "welfare:policy-create": row(
        "/welfare/insurance/new/?person={w_person}", 302, 200, 200, 404, 403, 403, 404
    ),
    "welfare:policy-edit": row("/welfare/insurance/{w_policy}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "welfare:policy-delete": row("/welfare/insurance/{w_policy}/delete/", 302, 405, 405, 405, 405, 405, 405),
    "welfare:check-create": row(
        "/welfare/health-checks/new/?person={w_person}", 302, 200, 200, 404, 403, 403, 404
    ),
    "welfare:check-delete": row(
        "/welfare/health-checks/{w_check}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:welfare_pay_sheet": row(
        "/api/v1/welfare/pay-sheet?township=640323100&month=2026-04", 401, 200, 200, 404, 404, 200, 404
    ),
    "api-v1:welfare_coverage": row(
        "/api/v1/welfare/coverage?township=640323100", 401, 200, 200, 404, 404, 200, 404
    ),
    "api-v1:welfare_allowances": row("/api/v1/welfare/allowances", 401, 200, 200, 200, 403, 200, 200),
    # Type-ahead pickers: every reader gets his own jurisdiction (tests/test_pickers.py checks what).
    "pickers:people": row("/pick/people/?q=a", 302, 200, 200, 200, 200, 200, 200),
    "pickers:divisions": row("/pick/divisions/?q=村", 302, 200, 200, 200, 200, 200, 200),
    # -- issue 19 §2: village pairing and the yearly collective income --
    "village-income": row(f"/divisions/{V}/income/", 302, 200, 200, 404, 200, 200, 404),
    "village-income-delete": row(
        f"/divisions/{V}/income/{{income_year}}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "pairing:index": row("/pairing/", 302, 200, 200, 200, 200, 200, 200),
    "pairing:create": row("/pairing/new/", 302, 200, 200, 200, 403, 403, 200),
    "pairing:suggest": row(f"/pairing/suggest/?village={V}", 302, 200, 200, 404, 200, 200, 404),
    "pairing:detail": row("/pairing/{pair}/", 302, 200, 200, 404, 200, 200, 404),
    "pairing:edit": row("/pairing/{pair}/edit/", 302, 200, 200, 404, 404, 403, 404),
    "pairing:activity-create": row("/pairing/{pair}/activities/", 302, 405, 405, 405, 405, 405, 405),
    "pairing:activity-delete": row(
        "/pairing/activities/{pair_activity}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "pairing:income-export": row("/pairing/{pair}/income.xlsx", 302, 200, 200, 404, 200, 200, 404),
    # -- issue 19 §3: villages compared, contests --
    "rankings:index": row("/rankings/?year=2025", 302, 200, 200, 200, 200, 200, 200),
    "rankings:export": row("/rankings/export.xlsx?year=2025", 302, 200, 200, 200, 200, 200, 200),
    "rankings:settings": row("/rankings/settings/", 302, 200, 403, 403, 403, 403, 200),
    "rankings:contests": row("/rankings/contests/", 302, 200, 200, 200, 200, 200, 200),
    "rankings:contest-create": row("/rankings/contests/new/", 302, 200, 200, 200, 403, 403, 200),
    "rankings:contest": row("/rankings/contests/{contest}/", 302, 200, 200, 404, 200, 200, 404),
    "rankings:result-create": row("/rankings/contests/{contest}/results/", 302, 405, 405, 405, 405, 405, 405),
    "rankings:result-delete": row(
        "/rankings/results/{contest_result}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "pickers:mentors": row("/pick/mentors/?q=a", 302, 200, 200, 200, 200, 200, 200),
    # --- 雏雁计划 (issue 19 §1, prospects): a prospect of V; the county's meeting inviting him; the county's
    # policy document. A township clerk works on his villages' prospects; readers look; the organiser manages.
    "prospects:index": row("/prospects/", 302, 200, 200, 200, 200, 200, 200),
    "prospects:export": row("/prospects/export.xlsx", 302, 200, 200, 200, 403, 403, 200),
    "prospects:create": row("/prospects/new/", 302, 200, 200, 200, 403, 403, 200),
    "prospects:detail": row("/prospects/{prospect}/", 302, 200, 200, 404, 200, 200, 404),
    "prospects:edit": row("/prospects/{prospect}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "prospects:reveal": row("/prospects/{prospect}/reveal/", 302, 405, 405, 405, 405, 405, 405),
    "prospects:contact-create": row("/prospects/{prospect}/contacts/", 302, 405, 405, 405, 405, 405, 405),
    "prospects:convert": row("/prospects/{prospect}/convert/", 302, 200, 200, 404, 403, 403, 404),
    "prospects:events": row("/prospects/events/", 302, 200, 200, 200, 200, 200, 200),
    "prospects:event-create": row("/prospects/events/new/", 302, 200, 200, 200, 403, 403, 200),
    "prospects:event-detail": row("/prospects/events/{p_event}/", 302, 200, 200, 404, 200, 200, 404),
    "prospects:event-invite": row("/prospects/events/{p_event}/invite/", 302, 405, 405, 405, 405, 405, 405),
    "prospects:event-attendance": row(
        "/prospects/events/{p_event}/attendance/", 302, 405, 405, 405, 405, 405, 405
    ),
    "prospects:documents": row("/prospects/documents/", 302, 200, 200, 200, 200, 200, 200),
    "prospects:document-file": row(
        "/prospects/documents/{p_document}/file/", 302, 200, 200, 200, 200, 200, 404
    ),
    "pickers:prospects": row("/pick/prospects/?q=a", 302, 200, 200, 200, 200, 200, 200),
    "api-v1:list_prospects": row("/api/v1/prospects", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_prospect": row("/api/v1/prospects", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_prospect": row("/api/v1/prospects/{prospect}", 401, 200, 200, 404, 200, 200, 404),
    # --- end of 雏雁计划
    # 坐班值班 (issue 18 §1, the duty app): the township's month, a village's rota and work team, the county's
    # attendance item; {d_member} is a work-team member of V (builder `known_duty`). /duty/me/ is a cadre's own
    # login's page (tests/test_duty_pages.py): no persona has one, 403. The village secretary is sent from the
    # township's page to his village's.
    "duty:index": row("/duty/", 302, 200, 200, 200, 302, 200, 200),
    "duty:export": row("/duty/export.xlsx?township=640323100", 302, 200, 200, 404, 404, 200, 404),
    "duty:settings": row("/duty/settings/", 302, 200, 403, 403, 403, 403, 200),
    "duty:me": row("/duty/me/", 302, 403, 403, 403, 403, 403, 403),
    "duty:me-check-in": row("/duty/me/check-in/", 302, 405, 405, 405, 405, 405, 405),
    "duty:me-leave": row("/duty/me/leave/", 302, 405, 405, 405, 405, 405, 405),
    "duty:leave-decide": row("/duty/leaves/{d_leave}/decide/", 302, 405, 405, 405, 405, 405, 405),
    "duty:assignment-delete": row(
        "/duty/assignments/{d_assignment}/delete/", 302, 405, 405, 405, 405, 405, 405
    ),
    "duty:member-edit": row("/duty/team/{d_member}/edit/", 302, 200, 200, 404, 403, 403, 404),
    "duty:village": row(f"/duty/village/{V}/", 302, 200, 200, 404, 200, 200, 404),
    "duty:assignment-add": row(f"/duty/village/{V}/add/", 302, 200, 200, 404, 403, 403, 404),
    "duty:generate": row(f"/duty/village/{V}/generate/", 302, 200, 200, 404, 403, 403, 404),
    "duty:team": row(f"/duty/village/{V}/team/", 302, 200, 200, 404, 200, 200, 404),
    "duty:leave-add": row(f"/duty/village/{V}/leave/", 302, 200, 200, 404, 403, 403, 404),
    "api-v1:list_assignments": row("/api/v1/duty/assignments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_assignment": row("/api/v1/duty/assignments", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:list_checkins": row("/api/v1/duty/checkins", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:create_checkin": row("/api/v1/duty/checkins", 401, 200, 200, 200, 200, 200, 200),
    # -- issue 20 §2: villagers' satisfaction (群众满意度); the county writes, a township reads its villages --
    "surveys:index": row("/surveys/", 302, 200, 200, 200, 200, 200, 200),
    "surveys:create": row("/surveys/new/", 302, 200, 403, 403, 403, 403, 200),
    "surveys:detail": row("/surveys/{survey}/", 302, 200, 200, 404, 200, 200, 404),
    "surveys:edit": row("/surveys/{survey}/edit/", 302, 200, 403, 404, 403, 403, 404),
    "surveys:status": row("/surveys/{survey}/closed/", 302, 405, 405, 405, 405, 405, 405),
    "surveys:poster": row(f"/surveys/{{survey}}/villages/{V}/poster/", 302, 200, 200, 404, 200, 200, 404),
    "surveys:export": row("/surveys/{survey}/results.xlsx", 302, 200, 200, 404, 200, 200, 404),
    # The villagers' answer page: no account needed, whoever opens the link.
    "survey-answer": row("/s/{survey_token}/", 200, 200, 200, 200, 200, 200, 200),
    "survey-thanks": row("/s/{survey_token}/thanks/", 200, 200, 200, 200, 200, 200, 200),
    # -- issue 21 §1, §2: succession (key seats, a seat's successors, the risk map) --
    "succession:index": row("/succession/", 302, 200, 200, 200, 200, 200, 200),
    "succession:seat": row("/succession/seats/{seat}/", 302, 200, 200, 404, 200, 200, 404),
    "succession:seat-order": row("/succession/seats/{seat}/order/", 302, 405, 405, 405, 405, 405, 405),
    "succession:seat-cover": row("/succession/seats/{seat}/cover/", 302, 405, 405, 405, 405, 405, 405),
    "succession:risk": row("/succession/risk/", 302, 200, 200, 200, 200, 200, 200),
    "succession:cards": row(f"/succession/cards/?division={V}", 302, 200, 200, 404, 200, 200, 404),
    # -- issue 21 §4: succession, side-by-side comparison (and its printable A4) --
    "succession:compare": row(
        "/succession/compare/?seat={seat}&person={person}&person={reserve}&print=1",
        302,
        200,
        200,
        404,
        200,
        200,
        404,
    ),
    # Assessment dimensions (issue 18 §2) and the 专业化管理 term kind (issue 18 §4).
    "assessments:dimensions": row("/assessment/settings/dimensions/", 302, 405, 405, 405, 405, 405, 405),
    "assessments:dimensions-wuqiang": row(
        "/assessment/settings/dimensions/wuqiang/", 302, 405, 405, 405, 405, 405, 405
    ),
    "posts:term-kind": row("/posts/terms/{term}/kind/", 302, 200, 200, 404, 403, 403, 404),
    # --- todos (issue 20 §1): everyone's own to-dos (none for a reader), badge, preferences and inbox.
    "todos:index": row("/todos/", 302, 200, 200, 200, 200, 200, 200),
    "todos:count": row("/todos/count/", 302, 200, 200, 200, 200, 200, 200),
    "todos:preferences": row("/todos/preferences/", 302, 200, 200, 200, 200, 200, 200),
    "todos:messages-read": row("/todos/messages/read/", 302, 405, 405, 405, 405, 405, 405),
    # --- end of todos
    # --- filing (issue 20 §3): 备案/审批 of a township's 入库/出库; {filing} is 花马池镇's request to admit a
    # reserve of V, awaiting the county (fixture `known_filing`). The county decides; the others read.
    "filings:list": row("/filings/", 302, 200, 200, 200, 200, 200, 200),
    "filings:settings": row("/filings/settings/", 302, 200, 403, 403, 403, 403, 200),
    "filings:acknowledge": row("/filings/acknowledge/?selected={filing}", 302, 200, 403, 403, 403, 403, 200),
    "filings:detail": row("/filings/{filing}/", 302, 200, 200, 404, 200, 200, 404),
    "filings:approve": row("/filings/{filing}/approve/", 302, 405, 405, 405, 405, 405, 405),
    "filings:refuse": row("/filings/{filing}/refuse/", 302, 405, 405, 405, 405, 405, 405),
    "api-v1:list_filings": row("/api/v1/filings", 401, 200, 200, 200, 200, 200, 200),
    "api-v1:get_filing": row("/api/v1/filings/{filing}", 401, 200, 200, 404, 200, 200, 404),
    "api-v1:approve_filing": row("/api/v1/filings/{filing}/approve", 405, 405, 405, 405, 405, 405, 405),
    "api-v1:refuse_filing": row("/api/v1/filings/{filing}/refuse", 405, 405, 405, 405, 405, 405, 405),
    "api-v1:acknowledge_filing": row(
        "/api/v1/filings/{filing}/acknowledge", 405, 405, 405, 405, 405, 405, 405
    ),
    # --- end of filing
    # --- ninebox (issue 21 §3): the 9-box, a person's box over time, the moves, the calibration sessions
    "talent:ninebox": row("/succession/ninebox/", 302, 200, 200, 200, 200, 200, 200),
    "talent:moves": row("/succession/ninebox/moves/", 302, 200, 200, 200, 200, 200, 200),
    "talent:person": row("/succession/ninebox/people/{person}/", 302, 200, 200, 404, 200, 200, 404),
    "talent:rate": row("/succession/ninebox/people/{person}/rate/", 302, 405, 405, 405, 405, 405, 405),
    "talent:calibrations": row("/succession/ninebox/calibrations/", 302, 200, 200, 200, 200, 200, 200),
    "talent:calibration-create": row(
        "/succession/ninebox/calibrations/new/", 302, 200, 200, 200, 403, 403, 200
    ),
    "talent:calibration": row(
        "/succession/ninebox/calibrations/{calibration}/", 302, 200, 200, 404, 404, 200, 404
    ),
    "talent:calibration-change": row(
        "/succession/ninebox/calibrations/{calibration}/change/", 302, 405, 405, 405, 405, 405, 405
    ),
    "talent:calibration-close": row(
        "/succession/ninebox/calibrations/{calibration}/close/", 302, 405, 405, 405, 405, 405, 405
    ),
    "api-v1:ninebox": row("/api/v1/succession/ninebox", 401, 200, 200, 200, 200, 200, 200),
    # --- end of ninebox
    # --- snapshots (issue 20 §3): reports filed upward; a county and those above it, none below the county.
    # The roll-up is a city's or a province's: every persona here is of a county or below.
    "reports_up:index": row("/reports-up/", 302, 200, 403, 403, 403, 200, 200),
    "reports_up:submit": row("/reports-up/submit/", 302, 405, 405, 405, 405, 405, 405),
    "reports_up:detail": row("/reports-up/{snapshot}/", 302, 200, 404, 404, 404, 200, 404),
    "reports_up:return": row("/reports-up/{snapshot}/return/", 302, 405, 405, 405, 405, 405, 405),
    "reports_up:xlsx": row("/reports-up/{snapshot}/snapshot.xlsx", 302, 200, 404, 404, 404, 200, 404),
    "reports_up:json": row("/reports-up/{snapshot}/export/snapshot.json", 302, 200, 404, 404, 404, 200, 404),
    "reports_up:rollup": row("/reports-up/rollup/", 302, 403, 403, 403, 403, 403, 403),
    "reports_up:rollup-xlsx": row("/reports-up/rollup.xlsx", 302, 403, 403, 403, 403, 403, 403),
    "reports_up:import": row("/reports-up/import/", 302, 200, 403, 403, 403, 403, 200),
    # --- end of snapshots
    # --- surveyfeed (issue 20 §2)
    # The county administrator chooses the monthly scoring item the villages' satisfaction feeds (as duty).
    "surveys:settings": row("/surveys/settings/", 302, 200, 403, 403, 403, 403, 200),
    # --- end of surveyfeed
}


def url_names(resolver=None, namespace="") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_has_a_row():
    assert url_names() - {"api-v1:api-root"} <= set(MATRIX), "add the new URL to MATRIX"


def known(persona):
    """One known person in village V, with a photo and an attachment, for the URLs that take a pk."""
    import io
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, add_attachment, create_person, set_photo

    county = persona("county")
    person = create_person(
        actor=county,
        data=PersonInput(
            name="马小军",
            id_number=make_id_number("640323", date(1990, 5, 12), 11),
            village=Division.objects.get(code=V),
            political_status="13",
        ),
    )
    png = io.BytesIO()
    Image.new("RGB", (30, 40), "white").save(png, format="PNG")
    set_photo(actor=county, person=person, uploaded_file=SimpleUploadedFile("photo.png", png.getvalue()))
    attachment = add_attachment(
        actor=county,
        person=person,
        title="推荐表",
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"{person}": str(person.pk), "{attachment}": str(attachment.pk)}


def known_post(persona):
    """A secretary seat of village V held by a known person, for the posts URLs that take a pk."""
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import appoint, ensure_seats

    county = persona("county")
    village = Division.objects.get(code=V)
    person = create_person(
        actor=county,
        data=PersonInput(
            name="杨建国",
            id_number=make_id_number("640323", date(1972, 3, 8), 21),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="secretary"), count=1
    )
    term = appoint(actor=county, seat=seat, person=person, start=date(2021, 1, 15))
    return {"{seat}": str(seat.pk), "{term}": str(term.pk)}


def staged_roster(persona):
    """A roster upload of the 花马池镇 clerk awaiting her confirmation."""
    from yanzhen.core import crypto
    from yanzhen.divisions.models import Division
    from yanzhen.rosters.models import RosterUpload
    from yanzhen.rosters.results import ImportResult
    from yanzhen.rosters.views import to_json

    upload = RosterUpload.objects.create(
        user=persona("huamachi"),
        division=Division.objects.get(code="640323100"),
        file_name="花名册.xlsx",
        sha256="0" * 64,
        size=0,
        content_encrypted=crypto.encrypt("AA=="),
        preview=to_json(ImportResult("花名册.xlsx", "0" * 64, "640323100", "花马池镇", True)),
    )
    return {"{upload}": str(upload.pk)}


def known_assessment(persona):
    """A reserve of village V with two 不称职 (so a pending removal proposal), a report and a commendation with
    files, and a check-up campaign of 盐池县, for the assessment URLs that take a pk."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.assessment_helpers import assess, make_reserve
    from yanzhen.assessments import services as assessment_services
    from yanzhen.assessments.models import RemovalProposal
    from yanzhen.divisions.models import Division

    county = persona("county")
    person, _candidacy = make_reserve(county, "韩后备", V)
    first = assess(county, person, 2022, 1, "incompetent")
    assess(county, person, 2022, 2, "incompetent")
    report = assessment_services.submit_report(
        actor=county,
        person=person,
        year=2022,
        half=1,
        text="思想工作汇报",
        attachment=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    commendation = assessment_services.add_commendation(
        actor=county,
        person=person,
        title="优秀后备干部",
        level="township",
        awarded_on=date(2023, 1, 5),
        document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    # A 处分 whose 影响期 is over: on the archive, without a proposal of its own.
    discipline = assessment_services.record_discipline(
        actor=county,
        person=person,
        data=assessment_services.DisciplineInput("party_warning", date(2020, 1, 6), "中共盐池县纪委"),
    )
    tolerance = assessment_services.apply_for_tolerance(
        actor=county,
        person=person,
        data=assessment_services.ToleranceInput("防汛中临机处置", date(2023, 7, 1)),
    )
    campaign = assessment_services.open_campaign(
        actor=county,
        county=Division.objects.get(code="640323"),
        title="回头看",
        start=date(2022, 9, 1),
        end=date(2022, 10, 31),
    )
    return {
        "{reserve}": str(person.pk),
        "{assessment}": str(first.pk),
        "{proposal}": str(RemovalProposal.objects.get(person=person).pk),
        "{report}": str(report.pk),
        "{commendation}": str(commendation.pk),
        "{discipline}": str(discipline.pk),
        "{tolerance}": str(tolerance.pk),
        "{campaign}": str(campaign.pk),
    }


def known_incumbent(persona):
    """An incumbent of village V scored 50 in January and February 2024 under a county rule "two months
    不称职" (so a pending adjustment proposal), with his 双述双评 of 2023, for the incumbents' URLs; {i_month} is
    March 2024, a month he is not yet scored for."""
    from datetime import date

    from yanzhen.assessments.incumbents import rules as incumbent_rules
    from yanzhen.assessments.incumbents import services as incumbents
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import appoint, ensure_seats

    county = persona("county")
    county_division = Division.objects.get(code="640323")
    village = Division.objects.get(code=V)
    items = incumbents.save_score_items(actor=county, county=county_division, items=[("工作实绩", 100)])
    person = create_person(
        actor=county,
        data=PersonInput(
            name="马在职",
            id_number=make_id_number("640323", date(1975, 4, 2), 41),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="chair"), count=1
    )
    term = appoint(actor=county, seat=seat, person=person, start=date(2023, 1, 1))
    january = incumbents.record_monthly_score(
        actor=county, term=term, month=date(2024, 1, 1), scores={items[0].pk: 50}
    )
    incumbents.record_monthly_score(actor=county, term=term, month=date(2024, 2, 1), scores={items[0].pk: 50})
    incumbent_rules.add_rule(actor=county, county=county_division, grade="incompetent", months=2)
    review = incumbents.record_annual_review(
        actor=county,
        term=term,
        data=incumbents.ReviewInput(
            year=2023,
            report_text="述职",
            satisfied=10,
            basically_satisfied=2,
            dissatisfied=1,
            reviewed_on=date(2024, 1, 20),
        ),
    )
    return {
        "{i_score}": str(january.pk),
        "{i_review}": str(review.pk),
        "{i_proposal}": str(term.adjustment_proposals.get(state="pending").pk),
        "{i_month}": "2024-03",
    }


def candidacy_in_notice(county, name: str, born, serial: int, post: str):
    """A new person of village V nominated for `post` and walked by the county to its 公示 (2024-03-20 … 26)."""
    from datetime import date

    from yanzhen.candidacies import workflow
    from yanzhen.candidacies.notice import start_notice
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType

    person = create_person(
        actor=county,
        data=PersonInput(
            name=name,
            id_number=make_id_number("640323", born, serial),
            village=Division.objects.get(code=V),
            political_status="01",
        ),
    )
    candidacy = workflow.nominate(
        actor=county,
        person=person,
        post_types=[PostType.objects.get(code=post)],
        nomination_way="village_party",
        on=date(2024, 3, 1),
    )
    workflow.vet(actor=county, candidacy=candidacy, passed=True, on=date(2024, 3, 5))
    workflow.inspect(
        actor=county,
        candidacy=candidacy,
        on=date(2024, 3, 12),
        inspectors="张三",
        people_talked_to=10,
        votes_for=20,
        votes_against=0,
        votes_abstaining=0,
        findings="同意",
    )
    workflow.decide(actor=county, candidacy=candidacy, passed=True, on=date(2024, 3, 19))
    start_notice(actor=county, candidacy=candidacy, start=date(2024, 3, 20), end=date(2024, 3, 26))
    return candidacy


def known_candidacy(persona):
    """A candidacy of village V in its 公示, with a document, for the pipeline URLs that take a pk."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from yanzhen.candidacies import services as candidacy_services

    county = persona("county")
    candidacy = candidacy_in_notice(county, "白后备", date(1991, 6, 1), 31, "secretary")
    document = candidacy_services.add_document(
        actor=county,
        candidacy=candidacy,
        title="推荐表",
        file=SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    candidacy.refresh_from_db()
    return {
        "{candidacy}": str(candidacy.pk),
        "{notice}": str(candidacy.public_notice_id),
        "{document}": str(document.pk),
    }


def known_cultivation(persona):
    """A reserve of V with one record of each kind of cultivation, for the cultivation URLs that take a pk."""
    from datetime import date

    from tests.cultivation_support import training_input
    from tests.factories import make_person
    from yanzhen.cultivation import services
    from yanzhen.divisions.models import Division
    from yanzhen.posts.models import PostType

    clerk = persona("huamachi")
    reserve = make_person("白坤林", village=V, born=date(1995, 3, 8))
    training = services.create_training(actor=clerk, data=training_input())
    services.enrol(actor=clerk, training=training, people=[reserve])
    mentor = services.create_mentor(
        actor=clerk, kind="township_leader", name="王书记", division=Division.objects.get(code=V[:9])
    )
    mentorship = services.create_mentorship(
        actor=clerk, mentee=reserve, mentors=[mentor], start=date(2024, 1, 1)
    )
    secondment = services.create_secondment(
        actor=clerk,
        data=services.SecondmentInput(
            person=reserve,
            kind="secondment",
            mode="part_time",
            host=Division.objects.get(code="640323100201"),
            start=date(2024, 6, 1),
            planned_end=date(2024, 8, 31),
            goals="学习合作社经营",
        ),
    )
    practice = services.assign_practice_post(
        actor=clerk,
        person=reserve,
        post_type=PostType.objects.get(code="grid_worker"),
        duties="第三网格",
        start=date(2024, 1, 1),
    )
    programme = services.create_cyclic_programme(
        actor=clerk,
        division=Division.objects.get(code=V[:9]),
        name="后备力量循环培养",
        organiser="花马池镇党委",
        start=date(2024, 9, 1),
        trainees=[reserve],
    )
    cyclic_round = services.add_round(
        actor=clerk,
        programme=programme,
        start=date(2024, 9, 2),
        end=date(2024, 9, 4),
        hours=24,
        practice_end=date(2024, 10, 31),
        assignment_brief="写一份本村产业发展思路",
    )
    degree = services.create_degree_study(
        actor=clerk,
        person=reserve,
        programme="村干部学历提升行动",
        school="宁夏大学",
        education="31",
        start=date(2023, 9, 1),
        expected_end=date(2026, 7, 1),
        funding="mixed",
    )
    item = services.add_plan_item(
        actor=clerk,
        person=reserve,
        kind="other",
        title="列席村民议事会",
        planned_start=date(2024, 1, 1),
        due=date(2024, 6, 30),
    )
    return {
        "{c_person}": str(reserve.pk),
        "{c_training}": str(training.pk),
        "{c_mentorship}": str(mentorship.pk),
        "{c_secondment}": str(secondment.pk),
        "{c_practice}": str(practice.pk),
        "{c_programme}": str(programme.pk),
        "{c_assignment}": str(cyclic_round.assignments.get().pk),
        "{c_degree}": str(degree.pk),
        "{c_item}": str(item.pk),
    }


def known_plan(persona):
    """A placement plan of 花马池镇 awaiting approval (the matching URLs that take a pk)."""
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.matching.models import PlacementPlan

    plan = PlacementPlan.objects.create(
        division=Division.objects.get(code="640323100"),
        kind="mentoring",
        start=date(2025, 7, 1),
        goals="传帮带",
        capacity=3,
        created_by=persona("huamachi"),
    )
    return {"{plan}": str(plan.pk)}


def known_election(persona):
    """盐池县's election in 筹备 (every user of the county sees it; a township clerk uploads for his villages)."""
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.elections import services as election_services
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType

    county = persona("county")
    village = Division.objects.get(code=V)
    election = election_services.create_election(
        actor=county,
        county=Division.objects.get(code="640323"),
        number=12,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 11, 30),
    )
    person = create_person(
        actor=county,
        data=PersonInput(
            name="任候选",
            id_number=make_id_number("640323", date(1988, 6, 1), 43),
            village=village,
            political_status="01",
        ),
    )
    candidate = election_services.propose(
        actor=county,
        election=election,
        village=village,
        person=person,
        post_type=PostType.objects.get(code="member"),
        on=date(2026, 9, 1),
    )
    return {"{election}": str(election.pk), "{e_candidate}": str(candidate.pk)}


def known_prospect(persona):
    """雏雁计划: a prospect of V, the county's hometown meeting inviting him, the county's policy document."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from yanzhen.divisions.models import Division
    from yanzhen.prospects import services as prospect_services

    county = persona("county")
    prospect = prospect_services.create_prospect(
        actor=county,
        data=prospect_services.ProspectInput(
            name="马振华", village=Division.objects.get(code=V), category="migrant", phone="13912345678"
        ),
    )
    event = prospect_services.create_event(
        actor=county,
        data=prospect_services.EventInput(
            organiser=Division.objects.get(code="640323"),
            kind="meeting",
            title="乡贤座谈会",
            held_on=date(2024, 6, 1),
        ),
    )
    prospect_services.invite(actor=county, event=event, prospects=[prospect])
    document = prospect_services.add_policy_document(
        actor=county,
        county=Division.objects.get(code="640323"),
        title="返乡创业优惠政策清单",
        uploaded_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"{prospect}": str(prospect.pk), "{p_event}": str(event.pk), "{p_document}": str(document.pk)}


def known_welfare(persona):
    """待遇保障: a pay scheme of 盐池县, and a sitting cadre of village V with a policy and a health check."""
    from datetime import date
    from decimal import Decimal

    from tests.factories import make_person
    from yanzhen.divisions.models import Division
    from yanzhen.posts.models import PostType, Seat, Term
    from yanzhen.welfare import services as welfare_services

    county = persona("county")
    scheme = welfare_services.save_pay_scheme(
        actor=county,
        county=Division.objects.get(code="640323"),
        data=welfare_services.SchemeInput(
            PostType.objects.get(code="member"),
            date(2026, 1, 1),
            Decimal("1200"),
            Decimal("100"),
            Decimal("600"),
        ),
    )
    person = make_person("福委员", V, actor=county)
    seat, _made = Seat.objects.get_or_create(
        village=Division.objects.get(code=V), post_type=PostType.objects.get(code="member"), number=9
    )
    Term.objects.create(seat=seat, person=person, start=date(2021, 1, 1))
    policy = welfare_services.record_policy(
        actor=county,
        person=person,
        data=welfare_services.PolicyInput(kind="pension", insurer="盐池县社保局", starts_on=date(2021, 1, 1)),
    )
    check = welfare_services.record_check(
        actor=county, person=person, checked_on=date(2026, 3, 2), institution="盐池县人民医院"
    )
    return {
        "{w_scheme}": str(scheme.pk),
        "{w_person}": str(person.pk),
        "{w_policy}": str(policy.pk),
        "{w_check}": str(check.pk),
    }


# Which builder (or fixture) fills each placeholder of a MATRIX path.
PLACEHOLDERS = {
    "{person}": "known",
    "{attachment}": "known",
    "{seat}": "known_post",
    "{term}": "known_post",
    "{upload}": "staged_roster",
}
PLACEHOLDERS.update(dict.fromkeys(["{candidacy}", "{notice}", "{document}"], "known_candidacy"))
PLACEHOLDERS["{plan}"] = "known_plan"
PLACEHOLDERS.update(dict.fromkeys(["{prospect}", "{p_event}", "{p_document}"], "known_prospect"))
PLACEHOLDERS.update(dict.fromkeys(["{w_scheme}", "{w_person}", "{w_policy}", "{w_check}"], "known_welfare"))
PLACEHOLDERS.update(dict.fromkeys(["{election}", "{e_candidate}"], "known_election"))
PLACEHOLDERS.update(
    dict.fromkeys(["{i_score}", "{i_review}", "{i_proposal}", "{i_month}"], "known_incumbent")
)
PLACEHOLDERS.update(
    dict.fromkeys(
        [
            "{reserve}",
            "{assessment}",
            "{proposal}",
            "{report}",
            "{commendation}",
            "{discipline}",
            "{tolerance}",
            "{campaign}",
        ],
        "known_assessment",
    )
)
PLACEHOLDERS.update(
    dict.fromkeys(
        [
            "{c_person}",
            "{c_training}",
            "{c_mentorship}",
            "{c_secondment}",
            "{c_practice}",
            "{c_programme}",
            "{c_assignment}",
            "{c_degree}",
            "{c_item}",
        ],
        "known_cultivation",
    )
)

# 坐班值班 (issue 18 §1): a work-team member of V, a sitting cadre of V on its rota on 8 September 2026 and his
# pending leave.
PLACEHOLDERS.update(dict.fromkeys(["{d_member}", "{d_assignment}", "{d_leave}"], "known_duty"))


def known_duty(persona):
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.duty import services as duty
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import appoint, ensure_seats

    county, village = persona("county"), Division.objects.get(code=V)
    member = duty.save_member(actor=county, village=V, data=duty.MemberInput("马驻村", "盐池县农业农村局"))
    person = create_person(
        actor=county,
        data=PersonInput(
            name="韩值班",
            id_number=make_id_number("640323", date(1980, 3, 3), 71),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="supervision_chair"), count=1
    )
    appoint(actor=county, seat=seat, person=person, start=date(2025, 1, 6))
    assignment = duty.add_assignment(actor=county, village=V, day=date(2026, 9, 8), person=person)
    leave = duty.request_leave(
        actor=county,
        person=person,
        village=V,
        data=duty.LeaveInput(date(2026, 9, 9), date(2026, 9, 9), "事假"),
    )
    return {"{d_member}": str(member.pk), "{d_assignment}": str(assignment.pk), "{d_leave}": str(leave.pk)}


RECORDS = (
    known,
    known_post,
    staged_roster,
    known_assessment,
    known_incumbent,
    known_candidacy,
    known_cultivation,
    known_plan,
    known_election,
    known_prospect,
    known_duty,
    known_welfare,
)


@pytest.fixture(scope="module", autouse=True)
def records(django_db_setup, django_db_blocker, tmp_path_factory):
    """The known records, made once for the module in a transaction that stays open while its tests run (each
    test in its own savepoint, rolled back) and is rolled back after the last: about 2,000 tests read them."""
    from django.db import transaction
    from django.test import override_settings

    from yanzhen.accounts.models import User

    def persona(username: str) -> User:
        return User.objects.get(username=username)

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        made: dict[str, str] = {}
        for build in RECORDS:
            made.update(build(persona))
        yield made
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def logins(records, django_db_blocker) -> dict[str, dict]:
    """What a login of each persona puts in the session, read once: the records change no persona, his roles
    or his second factor (a test that does is rolled back)."""
    from django.test import Client

    from yanzhen.accounts.models import User

    from .conftest import PERSONAS, login_session_data

    with django_db_blocker.unblock():
        return {
            username: login_session_data(Client(), User.objects.get(username=username))
            for username in PERSONAS
        }


@pytest.fixture
def client_for(db, logins):
    """conftest's `client_for`, each test's session started from what `logins` read."""
    from django.test import Client

    from .conftest import start_session

    def make(username: str) -> Client:
        client = Client()
        start_session(client, logins[username])
        return client

    return make


def fill(request, path: str) -> str:
    """The path with each placeholder replaced by the pk of the known record (or of its fixture)."""
    made = request.getfixturevalue("records")
    for placeholder, fixture in PLACEHOLDERS.items():
        if placeholder in path:
            value = (
                made[placeholder] if placeholder in made else request.getfixturevalue(fixture)[placeholder]
            )
            path = path.replace(placeholder, value)
    return path


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(request, client, client_for, name, role):
    path, expected = MATRIX[name]
    path = fill(request, path)
    http = client if role == "anonymous" else client_for(role)
    assert http.get(path).status_code == expected[role], f"{role} GET {path}"


# --- Writes --------------------------------------------------------------------------------------------------
# Every URL that only takes a POST (its GET row above is 405 for every persona) is POSTed by each persona,
# empty unless BODIES gives a body, on the records of the fixtures (a real proposal or objection where the GET
# row says 1). OK: the permission layer lets the persona through (the view may still answer 200, 302, 400,
# 409 or 422); a number is the refusal expected, and a refused POST changes no row of any table.
OK = "ok"
REFUSED = {401, 403, 404, 405}

# name: (path, {role: status or OK})    anon county huamachi dashuikeng cunshuji auditor outsider
WRITES = {
    "security-unlock": row("/security/accounts/1/unlock/", 302, 403, 403, 403, 403, 403, 403),
    "security-reset-two-factor": row(
        "/security/accounts/1/reset-two-factor/", 302, 403, 403, 403, 403, 403, 403
    ),
    "two-factor-recovery-codes": row("/accounts/two-factor/recovery-codes/", 302, OK, OK, OK, OK, OK, OK),
    "logout": row("/accounts/logout/", OK, OK, OK, OK, OK, OK, OK),
    "people:reveal": row("/people/{person}/reveal/", 302, OK, OK, 404, 403, 403, 404),
    "people:attachment-upload": row("/people/{person}/attachments/", 302, OK, OK, 404, 403, 403, 404),
    "people:photo": row("/people/{person}/photo/", 302, OK, OK, 404, 403, 403, 404),
    "assessments:delete": row("/assessment/assessments/{assessment}/delete/", 302, OK, OK, 404, OK, 403, 404),
    # -- issue 19 §2: village pairing and the yearly collective income --
    "village-income-delete": row(
        f"/divisions/{V}/income/{{income_year}}/delete/", 302, OK, OK, 404, 403, 403, 404
    ),
    "pairing:activity-create": row("/pairing/{pair}/activities/", 302, OK, OK, 404, 404, 403, 404),
    "pairing:activity-delete": row(
        "/pairing/activities/{pair_activity}/delete/", 302, OK, OK, 404, 404, 403, 404
    ),
    "rankings:result-create": row("/rankings/contests/{contest}/results/", 302, OK, 403, 404, 403, 403, 404),
    "rankings:result-delete": row(
        "/rankings/results/{contest_result}/delete/", 302, OK, 403, 404, 403, 403, 404
    ),
    # -- issue 20 §2: villagers' satisfaction --
    "surveys:status": row("/surveys/{survey}/closed/", 302, OK, 403, 404, 403, 403, 404),
    "assessments:discipline-delete": row(
        "/assessment/discipline/{discipline}/delete/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:incumbent-score-delete": row(
        "/assessment/incumbents/scores/{i_score}/delete/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:incumbent-review-delete": row(
        "/assessment/incumbents/reviews/{i_review}/delete/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:reserve-login-create": row(
        "/assessment/people/{reserve}/login/create/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:reserve-login-reset": row(
        "/assessment/people/{reserve}/login/reset/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:reserve-login-disable": row(
        "/assessment/people/{reserve}/login/disable/", 302, OK, OK, 404, 403, 403, 404
    ),
    "assessments:reserve-login-enable": row(
        "/assessment/people/{reserve}/login/enable/", 302, OK, OK, 404, 403, 403, 404
    ),
    "api-v1:confirm_adjustment_proposal": row(
        "/api/v1/incumbents/proposals/{i_proposal}/confirm", 401, OK, OK, 404, 403, 403, 404
    ),
    "api-v1:reject_adjustment_proposal": row(
        "/api/v1/incumbents/proposals/{i_proposal}/reject", 401, OK, OK, 404, 403, 403, 404
    ),
    "rosters:upload": row("/rosters/upload/", 302, OK, OK, OK, 403, 403, OK),
    "rosters:confirm": row("/rosters/uploads/{upload}/confirm/", 302, 404, OK, 404, 403, 403, 404),
    "rosters:discard": row("/rosters/uploads/{upload}/discard/", 302, 404, OK, 404, 403, 403, 404),
    "rosters:discard-failed": row("/rosters/uploads/discard-failed/", 302, OK, OK, OK, 403, 403, OK),
    "candidacies:transition": row("/reserves/{candidacy}/to/in_pool/", 302, OK, OK, 404, 403, 403, 404),
    "candidacies:objection-add": row("/reserves/{candidacy}/objections/", 302, OK, OK, 404, 403, 403, 404),
    "candidacies:objection-resolve": row(
        "/reserves/{candidacy}/objections/{objection}/resolve/", 302, OK, OK, 404, 403, 403, 404
    ),
    "candidacies:document-add": row("/reserves/{candidacy}/documents/", 302, OK, OK, 404, OK, 403, 404),
    "api-v1:transition_candidacy": row(
        "/api/v1/candidacies/{candidacy}/transitions", 401, OK, OK, 404, 403, 403, 404
    ),
    "api-v1:record_candidacy_objection": row(
        "/api/v1/candidacies/{candidacy}/objections", 401, OK, OK, 404, 403, 403, 404
    ),
    "api-v1:resolve_candidacy_objection": row(
        "/api/v1/candidacies/{candidacy}/objections/{objection}/resolution", 401, OK, OK, 404, 403, 403, 404
    ),
    "cultivation:training-roster": row(
        "/cultivation/trainings/{c_training}/roster/", 302, OK, OK, 404, 403, 403, 404
    ),
    "cultivation:growth-item-add": row(
        "/cultivation/people/{c_person}/items/", 302, OK, OK, 404, 403, 403, 404
    ),
    "cultivation:growth-item-done": row(
        "/cultivation/plan-items/{c_item}/done/", 302, OK, OK, 404, 403, 403, 404
    ),
    # The election is moved by the county; a candidate of V by the county or 花马池镇's clerk.
    "api-v1:change_election_state": row(
        "/api/v1/elections/{election}/state", 401, OK, 403, 403, 403, 403, 404
    ),
    "api-v1:withdraw_candidate": row(
        "/api/v1/elections/{election}/candidates/{e_candidate}/withdraw", 401, OK, OK, 404, 403, 403, 404
    ),
    "api-v1:record_review": row("/api/v1/elections/{election}/reviews", 401, OK, OK, 404, 403, 403, 404),
    "elections:advance": row("/elections/{election}/advance/", 302, OK, 403, 403, 403, 403, 404),
    "elections:propose": row(
        f"/elections/{{election}}/villages/{V}/propose/", 302, OK, OK, 404, 403, 403, 404
    ),
    "elections:publicise": row(
        f"/elections/{{election}}/villages/{V}/publicise/", 302, OK, OK, 404, 403, 403, 404
    ),
    "elections:withdraw": row(
        "/elections/{election}/candidates/{e_candidate}/withdraw/", 302, OK, OK, 404, 403, 403, 404
    ),
    "elections:reply": row(
        "/elections/{election}/candidates/{e_candidate}/reply/", 302, OK, OK, 404, 403, 403, 404
    ),
    "elections:handover": row("/elections/{election}/handovers/1/", 302, 404, 404, 404, 404, 404, 404),
    "matching:placement-approve": row(
        "/matching/placements/{plan}/approve/", 302, OK, OK, 404, 404, 403, 404
    ),
    "matching:placement-discard": row(
        "/matching/placements/{plan}/discard/", 302, OK, OK, 404, 404, 403, 404
    ),
    # --- 雏雁计划 (issue 19 §1): the county organised the meeting, so only the county manages it.
    "prospects:reveal": row("/prospects/{prospect}/reveal/", 302, OK, OK, 404, 403, 403, 404),
    "prospects:contact-create": row("/prospects/{prospect}/contacts/", 302, OK, OK, 404, 403, 403, 404),
    "prospects:event-invite": row("/prospects/events/{p_event}/invite/", 302, OK, 403, 404, 403, 403, 404),
    "prospects:event-attendance": row(
        "/prospects/events/{p_event}/attendance/", 302, OK, 403, 404, 403, 403, 404
    ),
    # --- end of 雏雁计划
    # 坐班值班 (issue 18 §1): only a cadre's own login checks in or asks leave on /duty/me/ (no persona has one);
    # the township (or the county) decides leave and takes an entry off the rota.
    "duty:me-check-in": row("/duty/me/check-in/", 302, 403, 403, 403, 403, 403, 403),
    "duty:me-leave": row("/duty/me/leave/", 302, 403, 403, 403, 403, 403, 403),
    "duty:leave-decide": row("/duty/leaves/{d_leave}/decide/", 302, OK, OK, 404, 403, 403, 404),
    "duty:assignment-delete": row(
        "/duty/assignments/{d_assignment}/delete/", 302, OK, OK, 404, 403, 403, 404
    ),
    # -- issue 21 §1: succession (a seat's order and emergency cover) --
    "succession:seat-order": row("/succession/seats/{seat}/order/", 302, OK, OK, 404, 403, 403, 404),
    "succession:seat-cover": row("/succession/seats/{seat}/cover/", 302, OK, OK, 404, 403, 403, 404),
    # 待遇保障 (issue 18 §3): a county's scheme is the county administrator's; a person's records his editors'.
    "welfare:scheme-delete": row(
        "/welfare/settings/schemes/{w_scheme}/delete/", 302, OK, 403, 403, 403, 403, 404
    ),
    "welfare:policy-delete": row("/welfare/insurance/{w_policy}/delete/", 302, OK, OK, 404, 403, 403, 404),
    "welfare:check-delete": row("/welfare/health-checks/{w_check}/delete/", 302, OK, OK, 404, 403, 403, 404),
    # Assessment dimensions (issue 18 §2) and the 专业化管理 term kind (issue 18 §4): the county's administrator
    # sets his own county's dimensions (the outsider his own county's); the kind is the seat's township's.
    "assessments:dimensions": row("/assessment/settings/dimensions/", 302, OK, 403, 403, 403, 403, OK),
    "assessments:dimensions-wuqiang": row(
        "/assessment/settings/dimensions/wuqiang/", 302, OK, 403, 403, 403, 403, OK
    ),
    # --- todos (issue 20 §1): each marks his own messages read.
    "todos:messages-read": row("/todos/messages/read/", 302, OK, OK, OK, OK, OK, OK),
    # --- end of todos
    # --- filing (issue 20 §3): only the county decides; a township clerk and the readers are refused (403),
    # the other county and township do not find the request (404).
    "filings:approve": row("/filings/{filing}/approve/", 302, OK, 403, 404, 403, 403, 404),
    "filings:refuse": row("/filings/{filing}/refuse/", 302, OK, 403, 404, 403, 403, 404),
    "api-v1:approve_filing": row("/api/v1/filings/{filing}/approve", 401, OK, 403, 404, 403, 403, 404),
    "api-v1:refuse_filing": row("/api/v1/filings/{filing}/refuse", 401, OK, 403, 404, 403, 403, 404),
    "api-v1:acknowledge_filing": row(
        "/api/v1/filings/{filing}/acknowledge", 401, OK, 403, 404, 403, 403, 404
    ),
    # --- end of filing
    # --- ninebox (issue 21 §3): a direct rating is the county's; a session's changes and closing its township's
    "talent:rate": row("/succession/ninebox/people/{person}/rate/", 302, OK, 403, 404, 403, 403, 404),
    "talent:calibration-change": row(
        "/succession/ninebox/calibrations/{calibration}/change/", 302, OK, OK, 404, 404, 403, 404
    ),
    "talent:calibration-close": row(
        "/succession/ninebox/calibrations/{calibration}/close/", 302, OK, OK, 404, 404, 403, 404
    ),
    # --- end of ninebox
    # --- snapshots (issue 20 §3): a county submits its own (the outsider his own county's, refused as an
    # empty form); only an administrator above the county sends one back, and none of these personas is.
    "reports_up:submit": row("/reports-up/submit/", 302, OK, 403, 403, 403, 403, OK),
    "reports_up:return": row("/reports-up/{snapshot}/return/", 302, 403, 404, 404, 404, 403, 404),
    # --- end of snapshots
}


def _document() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"document-title": "推荐表", "document-file": SimpleUploadedFile("t.pdf", b"%PDF-1.4\n%%EOF\n")}


def _json(payload: dict) -> dict:
    return {"data": payload, "content_type": "application/json"}


# What the POST carries where an empty one would stop before the permission layer (a form validated before
# the service refuses the persona, an API body that must parse); the other URLs are POSTed empty.
BODIES = {
    "candidacies:document-add": lambda: {"data": _document()},
    "api-v1:confirm_adjustment_proposal": lambda: _json({}),
    "api-v1:reject_adjustment_proposal": lambda: _json({"reason": "情况属实，暂不调整"}),
    "api-v1:transition_candidacy": lambda: _json({"to": "in_pool"}),
    "api-v1:record_candidacy_objection": lambda: _json(
        {"received_on": "2024-03-21", "content": "群众反映情况"}
    ),
    "api-v1:resolve_candidacy_objection": lambda: _json({"upheld": False, "resolution": "经核实不属实"}),
    "api-v1:change_election_state": lambda: _json({"to": "voting"}),
    "api-v1:withdraw_candidate": lambda: _json({"reason": "本人申请退出", "on": "2026-09-02"}),
    # A JSON text: its placeholder is filled like the path's.
    "api-v1:record_review": lambda: {
        "data": '{"candidate": {e_candidate}, "department": "公安", "passed": true, "replied_on": "2026-09-10"}',
        "content_type": "application/json",
    },
    # --- filing (issue 20 §3)
    "filings:refuse": lambda: {"data": {"refuse-reason": "材料不全"}},
    "api-v1:approve_filing": lambda: _json({}),
    "api-v1:refuse_filing": lambda: _json({"reason": "材料不全"}),
    # --- end of filing
}


@pytest.fixture
def known_objection(records, persona):
    """An objection received during the 公示 of the known candidacy (the resolve URLs)."""
    from datetime import date

    from yanzhen.candidacies import notice
    from yanzhen.candidacies.models import Candidacy

    objection = notice.record_objection(
        actor=persona("county"),
        candidacy=Candidacy.objects.get(pk=records["{candidacy}"]),
        received_on=date(2024, 3, 21),
        content="群众反映情况",
    )
    return {"{objection}": str(objection.pk)}


PLACEHOLDERS["{objection}"] = "known_objection"


@pytest.fixture
def known_pair(records, persona):
    """A pair of two villages of 花马池镇 (the known village helped) with one activity, and a year of the known
    village's collective income (the delete URLs)."""
    from datetime import date
    from decimal import Decimal

    from yanzhen.divisions import income
    from yanzhen.divisions.models import Division
    from yanzhen.pairing import services

    helper = (
        Division.objects.filter(parent_id=V[:9]).exclude(code=V).administrative_villages().order_by("code")[0]
    )
    pair = services.create_pair(
        actor=persona("county"),
        data=services.PairInput(
            name="花马池两村联建",
            kind="strong_weak",
            start=date(2025, 1, 1),
            end=None,
            goals="共同发展",
            helpers=[helper.code],
            helped=[V],
        ),
    )
    activity = services.record_activity(
        actor=persona("county"), pair=pair, data=services.ActivityInput(date(2025, 3, 1), "观摩学习")
    )
    income.record_income(actor=persona("county"), village_code=V, year=2024, amount=Decimal("12.00"))
    return {"{pair}": str(pair.pk), "{pair_activity}": str(activity.pk), "{income_year}": "2024"}


PLACEHOLDERS.update(dict.fromkeys(["{pair}", "{pair_activity}", "{income_year}"], "known_pair"))


@pytest.fixture
def known_contest(records, persona):
    """A county contest with one result of the known village (the contest and result URLs)."""
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.rankings import services

    contest = services.create_contest(
        actor=persona("county"),
        data=services.ContestInput(
            organiser=Division.objects.get(code="640323"),
            name="村与村比武",
            kind="village",
            held_on=date(2026, 5, 1),
        ),
    )
    result = services.record_result(
        actor=persona("county"),
        contest=contest,
        data=services.ResultInput(village=Division.objects.get(code=V), rank=1, award="一等奖"),
    )
    return {"{contest}": str(contest.pk), "{contest_result}": str(result.pk)}


PLACEHOLDERS.update(dict.fromkeys(["{contest}", "{contest_result}"], "known_contest"))


def footprint() -> dict[str, int]:
    """The number of rows of every table; the history tables are among them, so an update counts too. One
    query for the 155 tables (a COUNT(*) of each as a column), not one query per table: about 280 POSTs are
    refused, each counted before and after."""
    from django.apps import apps
    from django.db import connection

    models = apps.get_models(include_auto_created=True)
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def test_every_post_only_url_has_a_write_row():
    post_only = {
        name
        for name, (_path, expected) in MATRIX.items()
        if all(status == 405 for role, status in expected.items() if role != "anonymous")
    }
    assert post_only == set(WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_writes(request, client, client_for, name, role):
    path, expected = WRITES[name]
    path = fill(request, path)
    http = client if role == "anonymous" else client_for(role)
    body = BODIES.get(name, dict)()
    if isinstance(body.get("data"), str):
        body["data"] = fill(request, body["data"])
    before = footprint()
    status = http.post(path, **body).status_code
    if expected[role] == OK:
        assert status not in REFUSED and status < 500, f"{role} POST {path}: {status}"
    else:
        assert status == expected[role], f"{role} POST {path}"
        assert footprint() == before, f"{role} POST {path} was refused but changed rows"


@pytest.fixture
def known_survey(records, persona):
    """盐池县's open satisfaction survey of two villages of 花马池镇, the known village first (issue 20 §2)."""
    from datetime import timedelta

    from yanzhen.core.guards import today
    from yanzhen.divisions.models import Division
    from yanzhen.surveys import services

    other = (
        Division.objects.filter(parent_id=V[:9]).exclude(code=V).administrative_villages().order_by("code")[0]
    )
    survey = services.create_survey(
        actor=persona("county"),
        data=services.SurveyInput(
            title="群众满意度调查",
            start=today() - timedelta(days=1),
            end=today() + timedelta(days=5),
            satisfaction_questions=["总体评价"],
            villages=[V, other.code],
        ),
    )
    services.set_status(actor=persona("county"), survey=survey, status="published")
    token = survey.villages.get(village_id=V).token
    return {"{survey}": str(survey.pk), "{survey_token}": token}


PLACEHOLDERS.update(dict.fromkeys(["{survey}", "{survey_token}"], "known_survey"))


# --- filing (issue 20 §3)
@pytest.fixture
def known_filing(records, persona):
    """花马池镇's request to admit a reserve of V to the pool, awaiting 盐池县's approval (审批)."""
    from datetime import date

    from yanzhen.candidacies import filing, transitions
    from yanzhen.divisions.models import Division

    county, clerk = persona("county"), persona("huamachi")
    filing.save_settings(
        actor=county, county=Division.objects.get(code="640323"), entry="approval", removal="none"
    )
    candidacy = candidacy_in_notice(county, "高报备", date(1992, 7, 1), 41, "member")
    move = transitions.find("in_notice", "in_pool")
    request = move.perform(clerk, candidacy, {"on": date(2024, 3, 27)})
    return {"{filing}": str(request.pk)}


PLACEHOLDERS["{filing}"] = "known_filing"


# --- end of filing
# --- ninebox (issue 21 §3): an open calibration session of 花马池镇 held today
@pytest.fixture
def known_calibration(records, persona):
    from yanzhen.core.guards import today
    from yanzhen.talent import services

    session = services.create_session(
        actor=persona("county"), data=services.SessionInput(V[:9], today(), "镇党委书记、组织委员")
    )
    return {"{calibration}": str(session.pk)}


PLACEHOLDERS["{calibration}"] = "known_calibration"


# --- end of ninebox
# --- snapshots (issue 20 §3)
@pytest.fixture
def known_snapshot(records, persona):
    """盐池县's structure table of this year, submitted (a locked, signed snapshot)."""
    from yanzhen.core.guards import today
    from yanzhen.divisions.models import Division
    from yanzhen.reports_up import services

    snapshot = services.submit_snapshot(
        actor=persona("county"),
        county=Division.objects.get(code="640323"),
        kind="structure",
        year=today().year,
    )
    return {"{snapshot}": str(snapshot.pk)}


PLACEHOLDERS["{snapshot}"] = "known_snapshot"
# --- end of snapshots

"""Wording seen on the demo's pages: the date labels of cultivation and check-up forms are their own (not the
posts' 任职开始日期/任期结束日期), a person's name is 姓名 (not 名称), a field's error under the field does not
repeat its label ("附件：附件：", "谈话人数：谈话人数须为…"), and a Chinese sentence ends with 。."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.factories import make_person
from tests.matching_support import HUAMACHI_VILLAGE, put_in_pool
from yanzhen.assessments.forms import CampaignForm
from yanzhen.assessments.models import CheckupCampaign
from yanzhen.cultivation.forms import (
    CyclicProgrammeForm,
    DegreeStudyForm,
    MentorForm,
    MentorshipForm,
    PracticePostForm,
    SecondmentForm,
    TrainingForm,
)
from yanzhen.cultivation.models import Mentor, Mentorship, PracticePost, Secondment
from yanzhen.people.models import FamilyMember, Person, Source
from yanzhen.posts.forms import AppointForm
from yanzhen.posts.models import Term

from .candidacies_support import State, candidacy_in, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def label(form, name: str) -> str:
    return str(form.base_fields[name].label)


def test_the_date_labels_of_each_form():
    assert (label(TrainingForm, "start"), label(TrainingForm, "end")) == ("开始日期", "结束日期")
    assert (label(MentorshipForm, "start"), label(MentorshipForm, "end")) == ("结对开始日期", "结对结束日期")
    assert label(SecondmentForm, "start") == "挂职开始日期"
    assert label(PracticePostForm, "start") == "上岗日期"
    assert label(DegreeStudyForm, "start") == "入学日期"
    assert label(CyclicProgrammeForm, "start") == "开始日期"
    assert (label(CampaignForm, "start"), label(CampaignForm, "end")) == ("开始日期", "结束日期")
    # The models say the same (history pages and messages name fields by their verbose names).
    verbose = {
        (model.__name__, name): str(model._meta.get_field(name).verbose_name)
        for model, name in [
            (Mentorship, "start"),
            (Mentorship, "end"),
            (Secondment, "start"),
            (PracticePost, "start"),
            (CheckupCampaign, "start"),
            (CheckupCampaign, "end"),
        ]
    }
    assert verbose == {
        ("Mentorship", "start"): "结对开始日期",
        ("Mentorship", "end"): "结对结束日期",
        ("Secondment", "start"): "挂职开始日期",
        ("PracticePost", "start"): "上岗日期",
        ("CheckupCampaign", "start"): "开始日期",
        ("CheckupCampaign", "end"): "结束日期",
    }
    # The posts keep theirs.
    assert label(AppointForm, "start") == "任职开始日期"
    assert str(Term._meta.get_field("start").verbose_name) == "任职开始日期"


def test_a_person_has_a_name_and_a_vocabulary_entry_a_title():
    for model in (Person, FamilyMember, Mentor):
        assert str(model._meta.get_field("name").verbose_name) == "姓名"
    assert label(MentorForm, "name") == "姓名"
    assert str(Source._meta.get_field("name").verbose_name) == "名称"


def test_the_training_hours_page_heads_the_name_column_姓名(client_for):
    page = client_for("county").get("/cultivation/hours/").content.decode()
    assert "<th>姓名</th>" in page and "<th>名称</th>" not in page


def test_a_field_error_does_not_repeat_the_label(client_for):
    candidacy = candidacy_in(State.VETTED)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/inspected/",
        {
            "inspected-on": "2024-03-12",
            "inspected-inspectors": "张三",
            "inspected-people_talked_to": "",
            "inspected-votes_for": "30",
            "inspected-votes_against": "1",
            "inspected-votes_abstaining": "2",
            "inspected-findings": "同意",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "谈话人数须为不小于 0 的整数" in page
    assert "谈话人数：谈话人数" not in page
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": make_person("赵六").pk,
            "post_types": [post("chair").pk],
            "nomination_way": "self",
            "pairing": "none",
            "readiness": "ready",
            "on": "2024-03-01",
            "document": SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream"),
        },
    )
    page = response.content.decode()
    assert "附件：只接受 PDF、JPG、PNG、Word、Excel 文件" in page and "附件：附件：" not in page


def test_the_ranking_sentence_ends_with_a_chinese_full_stop(client_for):
    put_in_pool(make_person("钱七"), posts=("secretary",))
    page = (
        client_for("huamachi").get(f"/matching/villages/{HUAMACHI_VILLAGE}/posts/secretary/").content.decode()
    )
    assert "人通过硬性条件。" in page
    assert "人通过硬性条件." not in page and "人未通过." not in page


def test_the_label_goes_in_front_only_when_the_message_does_not_name_the_field():
    from yanzhen.core.templatetags.field_errors import with_label

    assert with_label("谈话人数须为不小于 0 的整数", "谈话人数") == "谈话人数须为不小于 0 的整数"
    assert (
        with_label("附件：只接受 PDF、JPG、PNG、Word、Excel 文件", "附件")
        == "附件：只接受 PDF、JPG、PNG、Word、Excel 文件"
    )
    assert with_label("未满 18 周岁，不能建档", "出生日期") == "出生日期：未满 18 周岁，不能建档"
    assert with_label("这个字段是必填项。", "") == "这个字段是必填项。"

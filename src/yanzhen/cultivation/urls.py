from django.urls import path

from yanzhen.cultivation.views import common, cyclic, enrol_selected, growth, mentoring, placement, training

app_name = "cultivation"

urlpatterns = [
    path("", common.index, name="index"),
    path("rules/", common.rules, name="rules"),
    # Training programmes and hours.
    path("trainings/", training.training_list, name="training-list"),
    path("trainings/new/", training.training_form, name="training-create"),
    path("trainings/<int:pk>/", training.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", training.training_form, name="training-edit"),
    path("trainings/<int:pk>/enrol/", training.training_enrol, name="training-enrol"),
    path("trainings/<int:pk>/roster/", training.training_roster, name="training-roster"),
    path("trainings/<int:pk>/roster.xlsx", training.training_export, name="training-export"),
    path("hours/", training.hours, name="hours"),
    path("trainings/enrol-selected/", enrol_selected.enrol_selected, name="enrol-selected"),
    # Mentoring.
    path("mentors/", mentoring.mentor_list, name="mentor-list"),
    path("mentors/new/", mentoring.mentor_create, name="mentor-create"),
    path("mentorships/", mentoring.mentorship_list, name="mentorship-list"),
    path("mentorships/new/", mentoring.mentorship_create, name="mentorship-create"),
    path("mentorships/<int:pk>/", mentoring.mentorship_detail, name="mentorship-detail"),
    path("mentorships/<int:pk>/end/", mentoring.mentorship_end, name="mentorship-end"),
    # Secondments and practice posts.
    path("secondments/", placement.secondment_list, name="secondment-list"),
    path("secondments/new/", placement.secondment_create, name="secondment-create"),
    path("secondments/<int:pk>/", placement.secondment_detail, name="secondment-detail"),
    path("secondments/<int:pk>/report/", placement.secondment_report, name="secondment-report"),
    path("secondments/<int:pk>/evaluation/", placement.secondment_evaluation, name="secondment-evaluation"),
    path("practice-posts/", placement.practice_list, name="practice-list"),
    path("practice-posts/new/", placement.practice_create, name="practice-create"),
    path("practice-posts/<int:pk>/end/", placement.practice_end, name="practice-end"),
    # Cyclic training.
    path("cyclic/", cyclic.cyclic_list, name="cyclic-list"),
    path("cyclic/new/", cyclic.cyclic_create, name="cyclic-create"),
    path("cyclic/<int:pk>/", cyclic.cyclic_detail, name="cyclic-detail"),
    path("cyclic/<int:pk>/rounds/new/", cyclic.cyclic_round_create, name="cyclic-round-create"),
    path("cyclic/assignments/<int:pk>/", cyclic.assignment, name="assignment"),
    # Degree upgrading and the growth plan.
    path("degrees/", growth.degree_list, name="degree-list"),
    path("degrees/new/", growth.degree_create, name="degree-create"),
    path("degrees/<int:pk>/finish/", growth.degree_finish, name="degree-finish"),
    path("people/<int:pk>/", growth.growth_plan, name="growth"),
    path("people/<int:pk>/items/", growth.growth_item_add, name="growth-item-add"),
    path("plan-items/<int:pk>/done/", growth.growth_item_done, name="growth-item-done"),
]

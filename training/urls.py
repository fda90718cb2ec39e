from django.urls import path

from training.views import bulk, departures, exams, plans, sessions

app_name = "training"

urlpatterns = [
    path("training/", plans.home, name="home"),
    path("training/non-teaching-days/", plans.non_teaching_days, name="non_teaching_days"),
    path(
        "training/non-teaching-days/<int:pk>/delete/",
        plans.non_teaching_day_delete,
        name="non_teaching_day_delete",
    ),
    path("training/modules/<int:pk>/edit/", plans.module_edit, name="module_edit"),
    path("training/modules/<int:pk>/delete/", plans.module_delete, name="module_delete"),
    path("training/modules/<int:pk>/schedule/", plans.schedule, name="schedule"),
    path("training/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("training/sessions/<int:pk>/attendance/", sessions.session_attendance, name="attendance"),
    path(
        "training/sessions/<int:pk>/sign-in-sheet.pdf", sessions.session_sheet, name="session_sheet"
    ),
    path("batches/<int:pk>/training/", plans.cohort_training, name="cohort_training"),
    path("batches/<int:pk>/training/plan/", plans.plan_edit, name="plan_edit"),
    path(
        "batches/<int:pk>/training/attendance.xlsx",
        sessions.attendance_export,
        name="attendance_export",
    ),
    path("batches/<int:pk>/training/modules/new/", plans.module_create, name="module_create"),
    path("batches/<int:pk>/exams/", exams.cohort_exams, name="cohort_exams"),
    path("batches/<int:pk>/status/", departures.cohort_move, name="cohort_move"),
    path("batches/<int:pk>/participants/", bulk.cohort_bulk, name="cohort_bulk"),
    path("batches/<int:pk>/depart/", departures.cohort_depart, name="cohort_depart"),
    path("programmes/<slug:slug>/exams/", exams.exam_requirements, name="exam_requirements"),
    path(
        "participants/<int:pk>/training/", plans.participant_training, name="participant_training"
    ),
    path("participants/<int:pk>/exams/new/", exams.exam_result_create, name="exam_result_create"),
    path("exam-results/<int:pk>/certificate/", exams.exam_certificate, name="exam_certificate"),
    path("participants/<int:pk>/ready/", departures.participant_ready, name="participant_ready"),
    path("participants/<int:pk>/depart/", departures.participant_depart, name="participant_depart"),
]

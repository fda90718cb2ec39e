from django.urls import path

from training import views, views_bulk

app_name = "training"

urlpatterns = [
    path("training/", views.home, name="home"),
    path("training/non-teaching-days/", views.non_teaching_days, name="non_teaching_days"),
    path(
        "training/non-teaching-days/<int:pk>/delete/",
        views.non_teaching_day_delete,
        name="non_teaching_day_delete",
    ),
    path("training/modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("training/modules/<int:pk>/delete/", views.module_delete, name="module_delete"),
    path("training/modules/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("training/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("training/sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("training/sessions/<int:pk>/sign-in-sheet.pdf", views.session_sheet, name="session_sheet"),
    path("batches/<int:pk>/training/", views.cohort_training, name="cohort_training"),
    path("batches/<int:pk>/training/plan/", views.plan_edit, name="plan_edit"),
    path(
        "batches/<int:pk>/training/attendance.xlsx",
        views.attendance_export,
        name="attendance_export",
    ),
    path("batches/<int:pk>/training/modules/new/", views.module_create, name="module_create"),
    path("batches/<int:pk>/exams/", views.cohort_exams, name="cohort_exams"),
    path("batches/<int:pk>/status/", views.cohort_move, name="cohort_move"),
    path("batches/<int:pk>/participants/", views_bulk.cohort_bulk, name="cohort_bulk"),
    path("batches/<int:pk>/depart/", views.cohort_depart, name="cohort_depart"),
    path("programmes/<slug:slug>/exams/", views.exam_requirements, name="exam_requirements"),
    path(
        "participants/<int:pk>/training/", views.participant_training, name="participant_training"
    ),
    path("participants/<int:pk>/exams/new/", views.exam_result_create, name="exam_result_create"),
    path("exam-results/<int:pk>/certificate/", views.exam_certificate, name="exam_certificate"),
    path("participants/<int:pk>/ready/", views.participant_ready, name="participant_ready"),
    path("participants/<int:pk>/depart/", views.participant_depart, name="participant_depart"),
]

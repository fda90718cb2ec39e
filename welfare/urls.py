from django.urls import path

from welfare import views

app_name = "welfare"

urlpatterns = [
    path("welfare/", views.case_list, name="case_list"),
    path("welfare/participants/<int:pk>/cases/new/", views.case_create, name="case_create"),
    path("welfare/participants/<int:pk>/help-now/", views.help_now, name="help_now"),
    path("welfare/participants/<int:pk>/return/", views.return_home, name="return_home"),
    path("welfare/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("welfare/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("welfare/cases/<int:pk>/acknowledge/", views.case_acknowledge, name="case_acknowledge"),
    path("welfare/cases/<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("welfare/cases/<int:pk>/costs/new/", views.cost_create, name="cost_create"),
    path("welfare/cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("welfare/cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("welfare/cases/<int:pk>/death/", views.case_death, name="case_death"),
    path("welfare/cases/<int:pk>/missing/", views.case_missing, name="case_missing"),
    path(
        "welfare/entries/<int:pk>/attachment/",
        views.entry_attachment,
        name="entry_attachment",
    ),
    path("welfare/checklist/<int:pk>/done/", views.checklist_done, name="checklist_done"),
    path("welfare/events/", views.event_list, name="event_list"),
    path("welfare/events/new/", views.event_create, name="event_create"),
    path("welfare/events/<int:pk>/", views.event_detail, name="event_detail"),
    path("welfare/events/<int:pk>/close/", views.event_close, name="event_close"),
    path("welfare/event-people/<int:pk>/", views.member_record, name="member_record"),
    path("welfare/return-planning/", views.return_planning, name="return_planning"),
    path("welfare/return-planning/<int:pk>/done/", views.return_task_done, name="return_task_done"),
    path("welfare/return-planning/<int:pk>/extend/", views.return_extend, name="return_extend"),
    path("welfare/follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("welfare/follow-ups/<int:pk>/", views.follow_up_fill, name="follow_up_fill"),
    path("welfare/alumni/", views.alumni, name="alumni"),
    path("welfare/alumni.xlsx", views.alumni_export, name="alumni_export"),
]

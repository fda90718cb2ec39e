from django.urls import path

from welfare.views import cases, disasters, returnees, way_home

app_name = "welfare"

urlpatterns = [
    path("welfare/", cases.case_list, name="case_list"),
    path("welfare/participants/<int:pk>/cases/new/", cases.case_create, name="case_create"),
    path("welfare/participants/<int:pk>/help-now/", cases.help_now, name="help_now"),
    path("welfare/participants/<int:pk>/return/", way_home.return_home, name="return_home"),
    path("welfare/cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("welfare/cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("welfare/cases/<int:pk>/acknowledge/", cases.case_acknowledge, name="case_acknowledge"),
    path("welfare/cases/<int:pk>/entries/new/", cases.entry_create, name="entry_create"),
    path("welfare/cases/<int:pk>/costs/new/", cases.cost_create, name="cost_create"),
    path("welfare/cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("welfare/cases/<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("welfare/cases/<int:pk>/death/", cases.case_death, name="case_death"),
    path("welfare/cases/<int:pk>/missing/", cases.case_missing, name="case_missing"),
    path(
        "welfare/entries/<int:pk>/attachment/",
        cases.entry_attachment,
        name="entry_attachment",
    ),
    path("welfare/checklist/<int:pk>/done/", cases.checklist_done, name="checklist_done"),
    path("welfare/events/", disasters.event_list, name="event_list"),
    path("welfare/events/new/", disasters.event_create, name="event_create"),
    path("welfare/events/<int:pk>/", disasters.event_detail, name="event_detail"),
    path("welfare/events/<int:pk>/close/", disasters.event_close, name="event_close"),
    path("welfare/event-people/<int:pk>/", disasters.member_record, name="member_record"),
    path("welfare/return-planning/", way_home.return_planning, name="return_planning"),
    path(
        "welfare/return-planning/<int:pk>/done/", way_home.return_task_done, name="return_task_done"
    ),
    path("welfare/return-planning/<int:pk>/extend/", way_home.return_extend, name="return_extend"),
    path("welfare/follow-ups/", returnees.follow_up_list, name="follow_up_list"),
    path("welfare/follow-ups/<int:pk>/", returnees.follow_up_fill, name="follow_up_fill"),
    path("welfare/alumni/", returnees.alumni, name="alumni"),
    path("welfare/alumni.xlsx", returnees.alumni_export, name="alumni_export"),
]

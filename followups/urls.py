from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("uppfoljning/", views.followup_list, name="list"),
    path("uppfoljning/ny/", views.followup_form, name="followup-create"),
    path("uppfoljning/<int:pk>/", views.followup_detail, name="followup"),
    path("uppfoljning/<int:pk>/andra/", views.followup_form, name="followup-edit"),
    path("uppfoljning/<int:pk>/<str:part>/ny/", views.part_form, name="part-create"),
    path("uppfoljning/<int:pk>/<str:part>/<int:part_pk>/andra/", views.part_form, name="part-edit"),
    path("dialoger/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialoger/<int:pk>/andra/", views.dialogue_form, name="dialogue-edit"),
    path("bedomning/", views.my_assessments, name="my-assessments"),
    path(
        "overenskommelser/<int:pk>/bedomning/<int:year>/",
        views.assessment_page,
        name="assessments",
    ),
    path(
        "overenskommelser/<int:pk>/bedomning/<int:year>/export.csv",
        views.assessment_csv,
        name="assessments-csv",
    ),
    path("uppdrag/", views.assignment_list, name="assignments"),
    path("uppdrag/nytt/", views.assignment_form, name="assignment-create"),
    path("uppdrag/<int:pk>/", views.assignment_detail, name="assignment"),
    path("uppdrag/<int:pk>/andra/", views.assignment_form, name="assignment-edit"),
    path("uppdrag/<int:pk>/dagordning/", views.assignment_to_agenda, name="assignment-agenda"),
    path(
        "paragrafer/<int:paragraph_pk>/uppdrag/",
        views.assignment_form,
        name="assignment-from-paragraph",
    ),
    path("arenor/<slug:slug>/fokus/<int:year>/", views.annual_focus, name="annual-focus"),
    path(
        "arenor/<slug:slug>/fokus/<int:year>/fraga/ny/",
        views.strategic_question_form,
        name="question-create",
    ),
    path(
        "arenor/<slug:slug>/fokus/<int:year>/fraga/<int:question_pk>/andra/",
        views.strategic_question_form,
        name="question-edit",
    ),
    path(
        "arenor/<slug:slug>/fokus/<int:year>/uppfoljningsplan/ny/",
        views.plan_item_form,
        name="plan-item-create",
    ),
    path(
        "arenor/<slug:slug>/fokus/<int:year>/uppfoljningsplan/<int:item_pk>/andra/",
        views.plan_item_form,
        name="plan-item-edit",
    ),
    path("verksamhetsberattelse/", views.reports_public, name="reports"),
    path("verksamhetsberattelse/<int:year>/", views.reports_year, name="reports-year"),
    path("verksamhetsberattelse/ny/", views.report_start, name="report-start"),
    path("verksamhetsberattelser/<int:pk>/", views.report_detail, name="report"),
    path(
        "verksamhetsberattelser/<int:pk>/avsnitt/nytt/", views.section_form, name="section-create"
    ),
    path(
        "verksamhetsberattelser/<int:pk>/avsnitt/<int:section_pk>/andra/",
        views.section_form,
        name="section-edit",
    ),
    path(
        "verksamhetsberattelser/<int:pk>/sammanstall/", views.report_compile, name="report-compile"
    ),
    path("verksamhetsberattelser/versioner/<int:pk>/", views.version_detail, name="version"),
    path(
        "verksamhetsberattelser/versioner/<int:pk>/faststall/",
        views.version_adopt,
        name="version-adopt",
    ),
    path("verksamhetsberattelser/versioner/<int:pk>/pdf/", views.version_pdf, name="version-pdf"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<slug:key>.csv", views.statistics_csv, name="statistics-csv"),
]

from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("uppfoljning/", views.followup_list, name="list"),
    path("uppfoljning/ny/", views.followup_form, name="followup-create"),
    path("uppfoljning/<id:pk>/", views.followup_detail, name="followup"),
    path("uppfoljning/<id:pk>/andra/", views.followup_form, name="followup-edit"),
    path("uppfoljning/<id:pk>/<slug:part>/ny/", views.part_form, name="part-create"),
    path("uppfoljning/<id:pk>/<slug:part>/<id:part_pk>/andra/", views.part_form, name="part-edit"),
    path("dialoger/<id:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialoger/<id:pk>/andra/", views.dialogue_form, name="dialogue-edit"),
    path("bedomning/", views.my_assessments, name="my-assessments"),
    path(
        "overenskommelser/<id:pk>/bedomning/<id:year>/",
        views.assessment_page,
        name="assessments",
    ),
    path(
        "overenskommelser/<id:pk>/bedomning/<id:year>/export.csv",
        views.assessment_csv,
        name="assessments-csv",
    ),
    path("uppdrag/", views.assignment_list, name="assignments"),
    path("uppdrag/nytt/", views.assignment_form, name="assignment-create"),
    path("uppdrag/<id:pk>/", views.assignment_detail, name="assignment"),
    path("uppdrag/<id:pk>/andra/", views.assignment_form, name="assignment-edit"),
    path("uppdrag/<id:pk>/dagordning/", views.assignment_to_agenda, name="assignment-agenda"),
    path(
        "paragrafer/<id:paragraph_pk>/uppdrag/",
        views.assignment_form,
        name="assignment-from-paragraph",
    ),
    path("arenor/<slug:slug>/fokus/<id:year>/", views.annual_focus, name="annual-focus"),
    path(
        "arenor/<slug:slug>/fokus/<id:year>/fraga/ny/",
        views.strategic_question_form,
        name="question-create",
    ),
    path(
        "arenor/<slug:slug>/fokus/<id:year>/fraga/<id:question_pk>/andra/",
        views.strategic_question_form,
        name="question-edit",
    ),
    path(
        "arenor/<slug:slug>/fokus/<id:year>/uppfoljningsplan/ny/",
        views.plan_item_form,
        name="plan-item-create",
    ),
    path(
        "arenor/<slug:slug>/fokus/<id:year>/uppfoljningsplan/<id:item_pk>/andra/",
        views.plan_item_form,
        name="plan-item-edit",
    ),
    path("verksamhetsberattelse/", views.reports_public, name="reports"),
    path("verksamhetsberattelse/<id:year>/", views.reports_year, name="reports-year"),
    path("verksamhetsberattelse/ny/", views.report_start, name="report-start"),
    path("verksamhetsberattelser/<id:pk>/", views.report_detail, name="report"),
    path("verksamhetsberattelser/<id:pk>/avsnitt/nytt/", views.section_form, name="section-create"),
    path(
        "verksamhetsberattelser/<id:pk>/avsnitt/<id:section_pk>/andra/",
        views.section_form,
        name="section-edit",
    ),
    path(
        "verksamhetsberattelser/<id:pk>/sammanstall/", views.report_compile, name="report-compile"
    ),
    path("verksamhetsberattelser/versioner/<id:pk>/", views.version_detail, name="version"),
    path(
        "verksamhetsberattelser/versioner/<id:pk>/faststall/",
        views.version_adopt,
        name="version-adopt",
    ),
    path("verksamhetsberattelser/versioner/<id:pk>/pdf/", views.version_pdf, name="version-pdf"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/<slug:key>.csv", views.statistics_csv, name="statistics-csv"),
]

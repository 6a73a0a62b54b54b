from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("overenskommelser/", views.agreement_list, name="list"),
    path("overenskommelser/ny/", views.agreement_form, name="create"),
    path("overenskommelser/<id:pk>/", views.agreement_detail, name="detail"),
    path("overenskommelser/<id:pk>/andra/", views.agreement_form, name="edit"),
    path("overenskommelser/<id:pk>/andringar/", views.agreement_changes, name="changes"),
    path("overenskommelser/<id:pk>/<slug:part>/ny/", views.part_form, name="part-create"),
    path(
        "overenskommelser/<id:pk>/<slug:part>/<id:part_pk>/andra/",
        views.part_form,
        name="part-edit",
    ),
    path(
        "overenskommelser/<id:pk>/<slug:part>/<id:part_pk>/ta-bort/",
        views.part_delete,
        name="part-delete",
    ),
    path("overenskommelser/<id:pk>/arsplan/<id:year>/", views.annual_plan, name="annual-plan"),
    path(
        "overenskommelser/<id:pk>/arsplan/<id:year>/standard/",
        views.annual_plan_standard,
        name="annual-plan-standard",
    ),
    path(
        "overenskommelser/<id:pk>/arsplan/<id:year>/ny/",
        views.activity_form,
        name="activity-create",
    ),
    path(
        "overenskommelser/<id:pk>/arsplan/<id:year>/<id:activity_pk>/andra/",
        views.activity_form,
        name="activity-edit",
    ),
    path("diarium/<id:pk>/omraden/", views.case_areas, name="case-areas"),
]

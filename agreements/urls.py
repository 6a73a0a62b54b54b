from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("overenskommelser/", views.agreement_list, name="list"),
    path("overenskommelser/ny/", views.agreement_form, name="create"),
    path("overenskommelser/<int:pk>/", views.agreement_detail, name="detail"),
    path("overenskommelser/<int:pk>/andra/", views.agreement_form, name="edit"),
    path("overenskommelser/<int:pk>/andringar/", views.agreement_changes, name="changes"),
    path("overenskommelser/<int:pk>/<str:part>/ny/", views.part_form, name="part-create"),
    path(
        "overenskommelser/<int:pk>/<str:part>/<int:part_pk>/andra/",
        views.part_form,
        name="part-edit",
    ),
    path(
        "overenskommelser/<int:pk>/<str:part>/<int:part_pk>/ta-bort/",
        views.part_delete,
        name="part-delete",
    ),
    path("overenskommelser/<int:pk>/arsplan/<int:year>/", views.annual_plan, name="annual-plan"),
    path(
        "overenskommelser/<int:pk>/arsplan/<int:year>/standard/",
        views.annual_plan_standard,
        name="annual-plan-standard",
    ),
    path(
        "overenskommelser/<int:pk>/arsplan/<int:year>/ny/",
        views.activity_form,
        name="activity-create",
    ),
    path(
        "overenskommelser/<int:pk>/arsplan/<int:year>/<int:activity_pk>/andra/",
        views.activity_form,
        name="activity-edit",
    ),
    path("diarium/<int:pk>/omraden/", views.case_areas, name="case-areas"),
]

from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("arkiv/", views.archive_index, name="index"),
    path("arkiv/leveranser/ny/", views.archive_export_request, name="export-request"),
    path("arkiv/leveranser/<id:pk>/", views.archive_export_detail, name="export"),
    path(
        "arkiv/leveranser/<id:pk>/ladda-ned/",
        views.archive_export_download,
        name="export-download",
    ),
    path("arkiv/gallring/", views.disposal, name="disposal"),
    path("arkiv/gallringsregler/ny/", views.retention_rule_edit, name="retention-rule-add"),
    path("arkiv/gallringsregler/<id:pk>/", views.retention_rule_edit, name="retention-rule"),
    path(
        "arkiv/gallringsregler/<id:pk>/ta-bort/",
        views.retention_rule_delete,
        name="retention-rule-delete",
    ),
]

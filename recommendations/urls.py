from django.urls import path

from recommendations import feeds, views

app_name = "recommendations"

urlpatterns = [
    path("rekommendationer/", views.recommendation_list, name="list"),
    path("rekommendationer/export.csv", views.recommendation_list_csv, name="list-csv"),
    path("rekommendationer/export.xlsx", views.recommendation_list_xlsx, name="list-xlsx"),
    path("rekommendationer/<id:pk>/", views.recommendation_detail, name="detail"),
    path("rekommendationer/<id:pk>/svarsdatum/", views.answer_date_change, name="answer-date"),
    path("rekommendationer/<id:pk>/mottagare/", views.addressee_add, name="addressee-add"),
    path("rekommendationer/avtal/<id:pk>/", views.agreement_request, name="agreement-request"),
    path("rekommendationer/beslut/<id:pk>/", views.decision_record, name="decision"),
    path(
        "organisationer/<slug:slug>/rekommendationer.rss",
        feeds.OrganisationFeed(),
        name="feed-organisation",
    ),
]

from django.urls import path

from councils import feeds, views

app_name = "councils"

urlpatterns = [
    path("kalender/alla.ics", feeds.calendar_all, name="calendar-all"),
    path("kalender/privat/<secret:token>.ics", feeds.calendar_private, name="calendar-private"),
    path("arenor/<slug:slug>/kalender.ics", feeds.calendar_body, name="calendar-body"),
    path(
        "mina-sammantraden/kalender/", views.calendar_address_renew, name="calendar-address-renew"
    ),
    path("mina-sammantraden/narvaro/", views.my_attendance, name="my-attendance"),
    path(
        "mina-sammantraden/narvaro.<str:fmt>",
        views.my_attendance,
        name="my-attendance-file",
    ),
    path("bevakningar/", views.watch_list, name="watches"),
    path("bevakningar/ny/", views.watch_add, name="watch-add"),
    path("bevakningar/<id:pk>/", views.watch_change, name="watch-change"),
    path("bevakningar/avsluta/<signed:token>/", views.watch_unsubscribe, name="watch-unsubscribe"),
    path("flode/kallelser.rss", feeds.KallelseFeed(), name="feed-kallelser"),
    path("flode/kallelser.atom", feeds.KallelseAtom(), name="feed-kallelser-atom"),
    path("flode/protokoll.rss", feeds.ProtocolFeed(), name="feed-protocols"),
    path("flode/protokoll.atom", feeds.ProtocolAtom(), name="feed-protocols-atom"),
    path("arenor/<slug:slug>/kallelser.rss", feeds.KallelseFeed(), name="feed-body-kallelser"),
    path(
        "arenor/<slug:slug>/kallelser.atom", feeds.KallelseAtom(), name="feed-body-kallelser-atom"
    ),
    path("arenor/<slug:slug>/protokoll.rss", feeds.ProtocolFeed(), name="feed-body-protocols"),
    path(
        "arenor/<slug:slug>/protokoll.atom", feeds.ProtocolAtom(), name="feed-body-protocols-atom"
    ),
    path("diarium/<id:pk>/handlingar.rss", feeds.CaseDocumentFeed(), name="feed-case-documents"),
    path(
        "diarium/<id:pk>/handlingar.atom",
        feeds.CaseDocumentAtom(),
        name="feed-case-documents-atom",
    ),
    path("arenor/", views.body_list, name="body-list"),
    path("arenor/oversikt/", views.overview, name="overview"),
    path("arenor/<slug:slug>/", views.body_detail, name="body"),
    path(
        "arenor/<slug:slug>/ledamoter/andringar/",
        views.body_membership_history,
        name="body-membership-history",
    ),
    path("arenor/<slug:slug>/sammantraden/planera/", views.meeting_plan, name="meeting-plan"),
    path("sammantraden/<id:pk>/", views.meeting_detail, name="meeting"),
    path("sammantraden/<id:pk>/andra/", views.meeting_edit, name="meeting-edit"),
    path("sammantraden/<id:pk>/kallelse/", views.kallelse_send, name="kallelse-send"),
    path("sammantraden/<id:pk>/kalender.ics", views.meeting_ics, name="meeting-ics"),
    path(
        "sammantraden/<id:pk>/dagordning/standardpunkter/",
        views.agenda_standard_items,
        name="agenda-standard-items",
    ),
    path("sammantraden/<id:pk>/dagordning/arende/", views.agenda_add_case, name="agenda-add-case"),
    path("dagordningspunkter/<id:pk>/andra/", views.agenda_item_edit, name="agenda-item-edit"),
    path(
        "dagordningspunkter/<id:pk>/upp/",
        views.agenda_item_move,
        {"direction": "upp"},
        name="agenda-item-up",
    ),
    path(
        "dagordningspunkter/<id:pk>/ner/",
        views.agenda_item_move,
        {"direction": "ner"},
        name="agenda-item-down",
    ),
    path(
        "dagordningspunkter/<id:pk>/ta-bort/", views.agenda_item_remove, name="agenda-item-remove"
    ),
    path("dagordningspunkter/<id:pk>/anteckning/", views.agenda_note_save, name="agenda-note"),
    path("mina-sammantraden/", views.my_meetings, name="my-meetings"),
    path("sammantraden/<id:pk>/protokoll/", views.protocol_detail, name="protocol"),
    path("sammantraden/<id:pk>/protokoll/paborja/", views.protocol_start, name="protocol-start"),
    path("sammantraden/<id:pk>/protokoll/andra/", views.protocol_edit, name="protocol-edit"),
    path("sammantraden/<id:pk>/protokoll/narvaro/", views.attendance_edit, name="attendance"),
    path("sammantraden/<id:pk>/protokoll/justering/", views.protocol_send, name="protocol-send"),
    path("sammantraden/<id:pk>/protokoll/beslut/", views.protocol_decide, name="protocol-decide"),
    path("paragrafer/<id:pk>/andra/", views.paragraph_edit, name="paragraph-edit"),
    path(
        "paragrafer/<id:pk>/omedelbar-justering/",
        views.paragraph_approve_immediately,
        name="paragraph-approve-now",
    ),
    path("anslagstavla/", views.notice_board, name="notice-board"),
    path("sammantraden/<id:pk>/protokoll/pdf/", views.protocol_pdf_request, name="protocol-pdf"),
    path("sammantraden/<id:pk>/kallelse/pdf/", views.kallelse_pdf_request, name="kallelse-pdf"),
    path("sammantraden/<id:pk>/handlingar/pdf/", views.packet_pdf_request, name="packet-pdf"),
    path("paragrafer/<id:pk>/utdrag/", views.extract_pdf_request, name="extract-pdf"),
    path("pdf/<id:pk>/", views.render_job_detail, name="render-job"),
    path("verifiera/", views.verify, name="verify"),
    path("verifiera/sigill.pem", views.seal_certificates, name="seal-certificates"),
    path("verifiera/demo-ca.crl", views.demo_crl, name="demo-crl"),
    path("pdf/<id:pk>/fil/", views.render_job_download, name="render-job-download"),
    path("personer/", views.person_list, name="person-list"),
    path("personer/<id:pk>/anonymisera/", views.person_anonymise, name="person-anonymise"),
    path("personer/<id:pk>/", views.person_detail, name="person"),
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisationer/<slug:slug>/arvoden/",
        views.organisation_arvoden,
        name="organisation-arvoden",
    ),
    path(
        "organisationer/<slug:slug>/arvoden.<str:fmt>",
        views.organisation_arvoden,
        name="organisation-arvoden-file",
    ),
    path(
        "organisationer/<slug:slug>/bedomningsansvarig/",
        views.assessor_add,
        name="assessor-add",
    ),
    path(
        "organisationer/bedomningsansvarig/<id:pk>/ta-bort/",
        views.assessor_remove,
        name="assessor-remove",
    ),
    path("diarium/", views.case_list, name="case-list"),
    path("diarium/export.csv", views.case_list_csv, name="case-list-csv"),
    path("beslut/", views.decision_list, name="decision-list"),
    path("beslut/export.csv", views.decision_list_csv, name="decision-list-csv"),
    path("narvaro/export.csv", views.attendance_csv, name="attendance-csv"),
    path("diarium/nytt/", views.case_register, name="case-register"),
    path("diarium/<id:pk>/", views.case_detail, name="case"),
    path("diarium/<id:pk>/andra/", views.case_edit, name="case-edit"),
    path("diarium/<id:pk>/handlingar/ny/", views.document_register, name="document-register"),
    path("handlingar/<id:pk>/", views.document_detail, name="document"),
    path("handlingar/<id:pk>/andra/", views.document_edit, name="document-edit"),
    path(
        "handlingar/<id:pk>/personnummer/",
        views.document_personal_numbers,
        name="document-personal-numbers",
    ),
    path("handlingar/<id:pk>/fil/", views.document_download, name="document-download"),
    path("handlingar/<id:pk>/visa/", views.document_view, name="document-view"),
]

from django.urls import path

from commonroom.core.discovery import app_modules
from commonroom.moderation import report_views, views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("reviews/<id:review_id>/", views.review, name="review"),
    path("decisions/<id:decision_id>/object/", views.objection_file, name="object"),
    path("objections/", views.objections, name="objections"),
    path("objections/<id:objection_id>/", views.objection_decide, name="objection"),
    path("notices/sent/", views.notice_sent, name="notice_sent"),
    path("notices/", views.notices, name="notices"),
    path("notices/<id:notice_id>/", views.notice_decide, name="notice"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("transparency/", views.transparency, name="transparency"),
    path("audit/", views.audit, name="audit"),
    path("report/<slug:kind>/<id:object_id>/", report_views.report_new, name="content_report_new"),
    # The one report queue: reports on every kind.
    path("content-reports/", report_views.content_reports, name="content_reports"),
    path("content-reports/<id:report_id>/", report_views.content_report, name="content_report"),
]

# A kind's own moderators' pages (a resource's metadata edit, its files), in
# this namespace; each app's ``moderation`` module lists them.
for module in app_modules("moderation"):
    urlpatterns += getattr(module, "moderation_urls", list)()

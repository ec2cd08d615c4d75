from django.urls import path

from commonroom.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.compose, name="new"),
    path("<id:conversation_id>/", views.conversation, name="conversation"),
    path("message/<id:message_id>/report/", views.report_message, name="report_message"),
    path("blocked/", views.blocked, name="blocked"),
    path("block/<id:member_id>/", views.block, name="block"),
    path("unblock/<id:member_id>/", views.unblock, name="unblock"),
    path("reports/", views.reports, name="reports"),
    path("reports/<id:report_id>/", views.report_detail, name="report"),
    path("held/<id:message_id>/", views.held_detail, name="held"),
]

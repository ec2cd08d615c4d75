from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonroom.accounts.permissions import acting_member
from commonroom.social import services
from commonroom.social.models import Notification


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first; opening the page reads them."""
    member = acting_member(request)
    page = Paginator(Notification.objects.filter(recipient=member), 30).get_page(
        request.GET.get("page")
    )
    # Evaluated before marking them read, so the page can still show which are new.
    items = list(page.object_list)
    services.notifications_mark_read(recipient=member)
    return render(request, "social/notifications.html", {"page": page, "items": items})

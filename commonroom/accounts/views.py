import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonroom.accounts import permissions, selectors, services
from commonroom.accounts.forms import AccountDeleteForm, ProfileForm
from commonroom.accounts.models import Suspension
from commonroom.accounts.permissions import acting_member


def suspension_response(request: HttpRequest, suspension: Suspension) -> HttpResponse:
    if request.path.startswith("/api/v1/"):
        # The API's one error body (commonroom/api/errors.py).
        message = _("Your account is suspended: %(reason)s") % {"reason": suspension.reason}
        return JsonResponse({"code": "suspended", "message": message, "fields": {}}, status=403)
    return render(request, "accounts/suspended.html", {"suspension": suspension}, status=403)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    profile = selectors.profile_for(member)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=profile,
        initial={"first_name": member.first_name, "last_name": member.last_name},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.profile_update(member=member, **data)
        except ValidationError as exc:
            field = "photo" if exc.code in {"too_large", "not_an_image", "too_many_pixels",
                                             "unreadable"} else None  # fmt: skip
            if exc.code == "hidden_by_moderator":
                field = "visibility"
            form.add_error(field, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    status = 400 if form.errors else 200
    return render(request, "accounts/profile_edit.html", {"form": form, "profile": profile},
                  status=status)  # fmt: skip


# Each photo has its own random address, so what a cache keeps never goes stale.
PHOTO_MAX_AGE = 3600


@require_GET
def profile_photo(request: HttpRequest, member_id: int, token: str) -> FileResponse:
    profile = permissions.profile_photo_get(request.user, member_id, token)
    try:
        content = profile.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(content, content_type="image/jpeg")
    # Only a photo every visitor may see can be kept by a shared cache.
    shown_to_all = selectors.members_visible_to(AnonymousUser()).filter(pk=member_id).exists()
    scope = "public" if shown_to_all else "private"
    response["Cache-Control"] = f"{scope}, max-age={PHOTO_MAX_AGE}"
    return response


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    data = services.member_export(member=acting_member(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="commonroom-my-data-{stamp}.json"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = AccountDeleteForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        services.member_erase(member=member)
        logout(request)
        messages.success(request, _("Your account and personal data have been deleted."))
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)

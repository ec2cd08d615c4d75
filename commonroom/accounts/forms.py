from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member, Profile, Suspension
from commonroom.accounts.passwords import password_hash_discard
from commonroom.accounts.rules import ADULT_AGE, OLDEST_AGE, old_enough
from commonroom.core.fields import SingleLineCharField
from commonroom.taxonomy.forms import TreeMultipleChoiceField
from commonroom.taxonomy.models import EducationLevel, Subject


class SignupForm(AllauthSignupForm):
    """The registration rules of the terms (R1, R3) on top of allauth's form."""

    first_name = SingleLineCharField(label=_("First name"), max_length=150)
    last_name = SingleLineCharField(label=_("Surname"), max_length=150)
    # Only the year counts for the age rule and only the year is kept (R3),
    # so only the year is asked. Bounds are set per request (the year moves).
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        help_text=_("Only to check that you are 18 or turn 18 this year."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        error_messages={
            "required": _("Enter your year of birth."),
            "invalid": _("Enter your year of birth as four digits, for example 1985."),
        },
    )
    not_a_pupil = forms.BooleanField(
        label=_("I am not a pupil in compulsory education."),
        error_messages={"required": _("The platform is for teachers and adults, not pupils.")},
    )
    # legal.signup adds the terms of use to it (R1).
    field_order = [
        "first_name", "last_name", "email", "birth_year", "password1", "password2",
        "not_a_pupil",
    ]  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].help_text = _(
            "Your first name and surname are shown with everything you share."
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        this_year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(
            {"min": this_year - OLDEST_AGE, "max": this_year}
        )

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def _clean_name(self, field: str) -> str:
        value = " ".join(self.cleaned_data[field].split())
        if not any(ch.isalpha() for ch in value):
            raise forms.ValidationError(_("Enter your real name."), code="invalid_name")
        return value

    def clean_birth_year(self) -> int:
        year: int = self.cleaned_data["birth_year"]
        today = timezone.localdate()
        if not today.year - OLDEST_AGE <= year <= today.year:
            raise forms.ValidationError(
                _("Enter a year of birth between %(first)d and %(last)d.")
                % {"first": today.year - OLDEST_AGE, "last": today.year},
                code="invalid_birth",
            )
        if not old_enough(birth_year=year, today=today):
            raise forms.ValidationError(
                _(
                    "You can sign up from the calendar year in which you turn %(age)d. "
                    "You can register from 1 January %(year)d."
                )
                % {"age": ADULT_AGE, "year": year + ADULT_AGE},
                code="too_young",
            )
        return year

    def try_save(self, request: HttpRequest) -> tuple[AbstractBaseUser | None, HttpResponse | None]:
        if self.account_already_exists:
            # A new account costs a password hash (most of the time a sign-up
            # takes); hashing here too keeps the response time from telling
            # whether the address has an account. Both paths then queue one
            # mail the same way (the adapter's send_mail).
            password_hash_discard(password=self.cleaned_data["password1"])
        return super().try_save(request)

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password1")
        if password and "password1" not in self.errors:
            # allauth checks the password against a blank member that has
            # only the e-mail address; the names typed here must count too.
            candidate = Member(
                email=data.get("email") or "",
                first_name=data.get("first_name") or "",
                last_name=data.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):
    first_name = SingleLineCharField(label=_("First name"), max_length=150)
    last_name = SingleLineCharField(label=_("Surname"), max_length=150)
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("A recognisable photo of yourself: JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    subjects = TreeMultipleChoiceField(
        label=_("Subjects I teach"),
        queryset=Subject.objects.all(),
        required=False,
    )
    levels = TreeMultipleChoiceField(
        label=_("Levels I teach"),
        queryset=EducationLevel.objects.all(),
        required=False,
    )

    field_order = [
        "photo", "remove_photo", "first_name", "last_name", "bio", "expertise", "school",
        "province", "subjects", "levels", "visibility",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.photo:
            del self.fields["remove_photo"]
        if self.instance.hidden_by_moderator:
            visibility = self.fields["visibility"]
            visibility.disabled = True
            visibility.help_text = _(
                "A moderator has hidden your profile after a report; you were told why. "
                "Only staff can show it again: write to us through the contact form."
            )

    class Meta:
        model = Profile
        fields = ["bio", "expertise", "school", "province", "subjects", "levels", "visibility"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "expertise": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
        field_classes = {"school": SingleLineCharField}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are deleted for good."),
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class SuspensionForm(forms.ModelForm):
    permanent = forms.BooleanField(label=_("Permanently"), required=False)

    class Meta:
        model = Suspension
        fields = ["reason", "ends_at"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        labels = {"ends_at": _("Suspended until")}
        help_texts = {"ends_at": ""}

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("permanent"):
            data["ends_at"] = None
        elif not data.get("ends_at"):
            raise forms.ValidationError(_("Choose an end date, or tick “Permanently”."))
        elif data["ends_at"] <= timezone.now():
            self.add_error("ends_at", _("The end date must lie in the future."))
        return data

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from commonroom.accounts.models import Member, Profile
from commonroom.legal.models import TermsAcceptance
from commonroom.legal.selectors import terms_current

PASSWORD = "correct horse battery staple 42"


class MemberFactory(DjangoModelFactory[Member]):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"teacher{n}@school.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    birth_year = 1980
    language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            Profile.objects.create(member=self)
            # Like every member who signed up, they accepted the current terms.
            if terms := terms_current():
                TermsAcceptance.objects.create(member=self, document=terms, language=self.language)


class StaffFactory(MemberFactory):
    is_staff = True

"""The shared vocabularies: levels, subjects, kinds, languages, provinces,
themes, licences and curriculum goals, each labelled in Dutch and English."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonroom.taxonomy.languages import label_in


class TermQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class Term(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    label_nl = models.CharField(_("Dutch label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return label_in(self.label_nl, self.label_en)


class TreeTerm(Term):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = TermQuerySet.as_manager()

    class Meta(Term.Meta):
        abstract = True


class EducationLevel(TreeTerm):
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)

    class Meta(TreeTerm.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")


class Subject(TreeTerm):
    class Meta(TreeTerm.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class ResourceKind(Term):
    class Meta(Term.Meta):
        verbose_name = _("resource kind")
        verbose_name_plural = _("resource kinds")


class Language(Term):
    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Province(Term):
    class Meta(Term.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class TrainingTheme(Term):
    class Meta(Term.Meta):
        verbose_name = _("training theme")
        verbose_name_plural = _("training themes")


class CurriculumFramework(Term):
    class Meta(Term.Meta):
        verbose_name = _("curriculum framework")
        verbose_name_plural = _("curriculum frameworks")


class CurriculumGoal(models.Model):
    """A curriculum goal ("eindterm", "minimumdoel") or one of the key
    competences ("sleutelcompetenties") that such goals serve. Loaded from
    ``data/curriculum_goals.json`` (``docs/taxonomy.md``)."""

    framework = models.ForeignKey(
        CurriculumFramework, on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=30)
    label_nl = models.TextField(_("Dutch text"))
    label_en = models.TextField(_("English text"))
    position = models.PositiveIntegerField(_("position"), default=0)
    # Empty for the key competences, which hold for every level and subject.
    level = models.ForeignKey(
        EducationLevel,
        verbose_name=_("education level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curriculum_goals",
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curriculum_goals",
    )
    key_competence = models.ForeignKey(
        "self",
        verbose_name=_("key competence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="serving_goals",
    )
    # A goal left out of a reloaded file while resources still carry it: kept
    # for them, no longer offered in the upload form.
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_goal_code")
        ]
        verbose_name = _("curriculum goal")
        verbose_name_plural = _("curriculum goals")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return label_in(self.label_nl, self.label_en)


class Licence(models.Model):
    """A Creative Commons licence with what it allows, for the wizard and search."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    url = models.URLField(_("legal code"))
    allows_commercial = models.BooleanField(_("allows commercial use"), default=True)
    allows_adaptation = models.BooleanField(_("allows adaptation"), default=True)
    share_alike = models.BooleanField(_("adaptations must be shared alike"), default=False)
    requires_attribution = models.BooleanField(_("requires attribution"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.name

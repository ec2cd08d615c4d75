from django.db import models


class Note(models.Model):
    """A short text a member writes; reviewed, reported and found like any kind."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey("accounts.Member", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, default="draft")
    subject = models.ForeignKey(
        "taxonomy.Subject", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/test-notes/{self.pk}/"

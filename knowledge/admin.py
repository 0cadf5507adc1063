"""Platform admins read the knowledge base here; submissions, reviews and publications change only through the
contributors' and reviewers' pages (knowledge/actions.py: four eyes, versions, audit)."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Contributor, Material, PracticeExample, ProblemReport, ReviewEntry, Revision


@admin.register(Contributor)
class ContributorAdmin(ReadOnlyAdmin):
    list_display = ["person", "organisation", "kind", "origin"]
    list_filter = ["kind", "origin"]


class RevisionInline(ReadOnlyTabularInline):
    model = Revision
    fields = ["number", "state", "title", "licence", "submitted_at", "decided_at"]


@admin.register(PracticeExample)
class PracticeExampleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "reviewer", "review_by", "last_checked"]
    inlines = [RevisionInline]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "example", "number", "state", "licence"]
    list_filter = ["state", "licence"]
    search_fields = ["title"]


@admin.register(ReviewEntry)
class ReviewEntryAdmin(ReadOnlyAdmin):
    list_display = ["revision", "reviewer", "kind"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "example", "kind", "size", "added_in", "removed_in"]
    exclude = ["file"]


@admin.register(ProblemReport)
class ProblemReportAdmin(ReadOnlyAdmin):
    list_display = ["example", "created"]

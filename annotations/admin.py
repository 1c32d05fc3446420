"""Curating annotations, teams and the vocabularies in the admin.

Staff who are not superusers see here what the visibility rule lets them see, in
every list, filter, autocomplete, popup, action and merge page; superusers, who run
the installation, see everything. Every write goes through the same services as the
pages (see ``annotations.admin_annotations``), and every recorded model's history
page lists its versions (django-reversion; ``annotations.admin_base``).

- ``admin_annotations``: annotations, their filters and bulk actions, the CSV export;
- ``admin_vocabularies``: sources, regions and tags, and merging them;
- here: teams, memberships and cross-references.

Not registered: the rows the services derive or write alongside (tag links, the
region hierarchy's closure, the teams of revisions): edited raw, they would go out
of step with what they follow.
"""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from annotations import admin_annotations, admin_vocabularies  # noqa: F401 - they register
from annotations.admin_annotations import SeenOnlyFilter
from annotations.admin_base import RecordedAdmin
from annotations.models import CrossReference, Membership, Team
from corpus.admin_inputs import BoundedInputsAdmin
from corpus.admin_visibility import VisibleToStaffMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "review_required", "member_count", "created")
    list_filter = ("review_required",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]

    def visible_queryset(self, queryset, user):
        return queryset.filter(memberships__user=user)

    def get_queryset(self, request):
        # A subquery: a Count over the join would count only the rows the staff
        # filter (memberships__user=user) left, one a team.
        members = (
            Membership.objects.filter(team=OuterRef("pk"))
            .order_by()
            .values("team")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(member_count=Coalesce(Subquery(members), 0))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team: Team) -> int:
        return team.member_count


@admin.register(Membership)
class MembershipAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("user", "team", "role", "joined")
    list_filter = ("role", ("team", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "team")
    search_fields = ("user__username", "team__name")
    autocomplete_fields = ("user", "team")

    def visible_queryset(self, queryset, user):
        return queryset.filter(team__memberships__user=user)


@admin.register(CrossReference)
class CrossReferenceAdmin(BoundedInputsAdmin, VisibleToStaffMixin, RecordedAdmin):
    """Links between passages, read-only here but for their note: they are made,
    removed and brought back on the pages, where both passages are in view, through
    the services (reverting a link's version here would write past them)."""

    revert_refusal = (
        "Links are not reverted here: remove or bring one back on the pages, where both "
        "passages are in view."
    )
    list_display = (
        "__str__",
        "from_quote",
        "relation",
        "to_quote",
        "author",
        "team",
        "visibility",
        "created",
    )
    list_filter = (
        "relation",
        "visibility",
        ("team", SeenOnlyFilter),
        ("author", SeenOnlyFilter),
        ("created", admin.DateFieldListFilter),
    )
    list_select_related = ("author", "team", "from_annotation", "to_annotation")
    search_fields = ("note", "from_annotation__exact", "to_annotation__exact")
    fields = (
        "from_annotation",
        "relation",
        "to_annotation",
        "note",
        "author",
        "team",
        "visibility",
        "created",
        "updated",
    )
    readonly_fields = (
        "from_annotation",
        "relation",
        "to_annotation",
        "author",
        "team",
        "visibility",
        "created",
        "updated",
    )

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    @admin.display(description="From")
    def from_quote(self, link: CrossReference) -> str:
        return link.from_annotation.exact[:60]

    @admin.display(description="To")
    def to_quote(self, link: CrossReference) -> str:
        return link.to_annotation.exact[:60]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # removing is on the pages, where it can be undone

"""The admin shows staff what the visibility rule shows them; superusers see all."""


class VisibleToStaffMixin:
    """Superusers see everything; other staff what the visibility rule shows them
    (``visible_queryset``, written by each admin with the model's own rule). Every list,
    filter, page and extra view of the admin reaches its rows through ``get_queryset``
    (or ``visible_to_request`` for a queryset of its own)."""

    def visible_queryset(self, queryset, user):
        return queryset

    def visible_to_request(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return self.visible_queryset(queryset, request.user)

    def get_queryset(self, request):
        return self.visible_to_request(request, super().get_queryset(request))

"""The admin shows staff what the visibility rule shows them; superusers see all."""


class VisibleToStaffMixin:
    """Superusers see everything; other staff what the visibility rule shows them
    (``visible_queryset``, written by each admin with the model's own rule)."""

    def visible_queryset(self, queryset, user):
        return queryset

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.visible_queryset(queryset, request.user)

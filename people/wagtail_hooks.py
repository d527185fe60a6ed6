"""Organisations in the Wagtail admin, for site admins: find the ones whose
registered number is not yet confirmed, check it against the register, and
confirm it from the organisation's page (people/views.py verify_number, the
one path that marks a number verified)."""

from django.db.models import Q
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from .models import Organisation


class OrganisationFilters(WagtailFilterSet):
    number = django_filters.ChoiceFilter(
        label="Registered number", method="by_number", empty_label="Any",
        choices=[("unverified", "Claimed, not yet confirmed"), ("verified", "Confirmed"), ("none", "None given")],
    )

    def by_number(self, queryset, name, value):
        if value == "unverified":
            return queryset.exclude(registered_number="").filter(number_verified_at__isnull=True)
        if value == "verified":
            return queryset.filter(number_verified_at__isnull=False)
        if value == "none":
            return queryset.filter(Q(registered_number=""))
        return queryset

    class Meta:
        model = Organisation
        fields = ["type", "size", "region"]


class NumberColumn(Column):
    def get_value(self, instance):
        if not instance.registered_number:
            return "None"
        state = "confirmed" if instance.number_verified else "not yet confirmed"
        return format_html("{} {} ({})", instance.get_number_kind_display(), instance.registered_number, state)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "type", "size", "region", NumberColumn("number", label="Registered number"), "created_at"]
    filterset_class = OrganisationFilters
    search_fields = ["name", "registered_number"]
    search_backend_name = None  # a plain database filter; organisations are few
    inspect_view_enabled = True
    # Confirming a number is not a field to tick: it records who checked and
    # when, through the organisation page's button; and a changed number must
    # become unconfirmed again, which the organisation's own edit page does
    # (people/services.py update_organisation). So neither is edited here.
    panels = [FieldPanel("name"), FieldPanel("type"), FieldPanel("size"), FieldPanel("region")]


register_snippet(OrganisationViewSet)

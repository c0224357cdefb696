"""People, places, organisations and their roles: read-only (the TEI entity lists are their source)."""

from django.contrib import admin

from documents.models import Entity, EntityAlias, Participation

from .base import TeiSourcedAdmin, TeiSourcedInline
from .entity_actions import mark_reviewed, may_review, merge_into


class EntityAliasInline(TeiSourcedInline):
    model = EntityAlias
    fields = ["name", "lang", "merged_key"]
    readonly_fields = ["name", "lang", "merged_key"]


class ParticipationInline(TeiSourcedInline):
    model = Participation
    fields = ["document", "role", "description"]
    readonly_fields = ["document", "role", "description"]


@admin.register(Entity)
class EntityAdmin(TeiSourcedAdmin):
    list_display = ["name", "kind", "key", "affiliation", "reviewed"]
    list_filter = ["kind", "reviewed"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "key", "sort_name", "aliases__name"]
    readonly_fields = ["key", "kind", "name", "sort_name", "description", "affiliation", "data", "reviewed"]
    inlines = [EntityAliasInline, ParticipationInline]
    actions = [merge_into, mark_reviewed]

    def has_review_permission(self, request):
        return may_review(request)


@admin.register(Participation)
class ParticipationAdmin(TeiSourcedAdmin):
    list_display = ["entity", "role", "document", "description"]
    list_filter = ["role", "document"]
    list_select_related = ["entity", "document"]
    search_fields = ["entity__name", "role", "description"]
    readonly_fields = ["document", "entity", "role", "description", "order"]

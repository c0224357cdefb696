"""People, places, organisations and their roles: read-only (the TEI entity lists are their source)."""

from django.contrib import admin

from documents.models import Entity, EntityAlias, Participation

from .base import TeiSourcedAdmin, TeiSourcedInline


class EntityAliasInline(TeiSourcedInline):
    model = EntityAlias
    fields = ["name", "lang"]
    readonly_fields = ["name", "lang"]


class ParticipationInline(TeiSourcedInline):
    model = Participation
    fields = ["document", "role", "description"]
    readonly_fields = ["document", "role", "description"]


@admin.register(Entity)
class EntityAdmin(TeiSourcedAdmin):
    list_display = ["name", "kind", "key", "affiliation"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "key", "sort_name", "aliases__name"]
    readonly_fields = ["key", "kind", "name", "sort_name", "description", "affiliation", "data"]
    inlines = [EntityAliasInline, ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(TeiSourcedAdmin):
    list_display = ["entity", "role", "document", "description"]
    list_filter = ["role", "document"]
    list_select_related = ["entity", "document"]
    search_fields = ["entity__name", "role", "description"]
    readonly_fields = ["document", "entity", "role", "description", "order"]

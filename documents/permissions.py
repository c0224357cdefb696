"""The Editors group: who may do what in the admin.

Migration 0003 creates the group; `ensure_editors_group` runs after every `migrate` (and after
the test runner's flushes, which empty auth tables) so the group and its permissions always
match this definition: add, change and view notes and passage links; view everything else.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
EDIT = ["note", "passagelink"]
VIEW_ONLY = [
    "document", "section", "turn", "passage", "entity", "entityalias",
    "participation", "mention", "datemention", "sourcefile",
]  # fmt: skip


def editors_codenames() -> list[str]:
    codenames = [f"{action}_{model}" for model in EDIT for action in ("add", "change", "view")]
    return codenames + [f"view_{model}" for model in VIEW_ONLY]


def ensure_editors_group(using="default", **kwargs) -> Group:
    """Create or update the Editors group (post_migrate receiver; safe to run again)."""
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="documents", codename__in=editors_codenames()
    )
    group.permissions.set(permissions)
    return group

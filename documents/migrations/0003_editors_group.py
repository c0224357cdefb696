"""The Editors group: may add, change and view notes and passage links, and view the text.

Editors may not change the text (it comes from the TEI), delete documents or import; those
stay with superusers. Run again safely: permissions are set, not appended.
"""

from django.db import migrations

EDIT = ["note", "passagelink"]
VIEW_ONLY = [
    "document",
    "section",
    "turn",
    "passage",
    "entity",
    "entityalias",
    "participation",
    "mention",
    "datemention",
    "sourcefile",
]


def editors_permissions():
    codenames = [f"{action}_{model}" for model in EDIT for action in ("add", "change", "view")]
    codenames += [f"view_{model}" for model in VIEW_ONLY]
    return codenames


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = editors_permissions()
    permissions = list(Permission.objects.filter(content_type__app_label="documents", codename__in=codenames))
    missing = set(codenames) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"permissions missing for the Editors group: {sorted(missing)}")
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_importer_source_files"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

"""Run `import_tei` in a process of its own that stops at a named point so that a test can SIGKILL it there.

    python tests/fault_import.py HOOK PATH...    (HOOK: "none" or a key of HOOKS; DATABASE_URL from the env)

At the hook the process prints "AT <hook>" on stdout and sleeps; the test then kills it. Used by
tests/test_faults.py; nothing here is imported by the application.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edition.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

#: hook -> (module, object, attribute, when): stop before/after that function, at its n-th call.
HOOKS = {
    "parsed": ("documents.services.importer", "TEIImporter", "prepare", "after", 1),
    "entities-written": ("documents.services.import_writer", "FileWriter", "write_entities", "after", 1),
    "documents-saved": ("documents.services.import_documents", "DocumentsWriter", "save_documents", "after", 1),
    "text-written": ("documents.services.import_documents", "DocumentsWriter", "write_text", "after", 1),
    "notes-written": ("documents.services.import_documents", "DocumentsWriter", "write_notes", "after", 1),
    "search-indexed": ("documents.search.indexing", None, "index_documents", "after", 1),
    "before-commit": ("documents.services.import_writer", "FileWriter", "write", "after", 1),
    "between-files": ("documents.services.importer", "TEIImporter", "_write_file", "after", 1),
}


def stop_at(name: str) -> None:
    import importlib

    module_name, owner_name, attr, _when, nth = HOOKS[name]
    module = importlib.import_module(module_name)
    owner = getattr(module, owner_name) if owner_name else module
    real = getattr(owner, attr)
    calls = []

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == nth:
            print(f"AT {name}", flush=True)
            time.sleep(600)
        return result

    setattr(owner, attr, wrapper)
    if owner_name is None:  # also where it was imported by name
        for other in list(sys.modules.values()):
            if getattr(other, attr, None) is real and other is not module:
                setattr(other, attr, wrapper)


if __name__ == "__main__":
    hook, *paths = sys.argv[1:]
    if hook != "none":
        stop_at(hook)
    print("STARTED", flush=True)
    call_command("import_tei", *paths)

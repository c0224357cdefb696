"""Ten editors save the same note at once, each from the form they opened at version 1: one save wins, nine are
refused with the "Not saved" message, nothing is silently overwritten.

Each editor is a thread with its own client and its own database connection (transactional_db: the rows are
committed, so the threads see each other's writes). On PostgreSQL the ten POSTs really run at once (a barrier
releases them together; the form's SELECT ... FOR UPDATE makes them queue on the note's row). SQLite lets one
writer in at a time, which the test mirrors with a lock around each request (in-memory test databases give
"table is locked" instead of waiting).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from documents.models import Note
from tests.builders import MINUTES, make_document, make_editor, make_note, note_form

EDITORS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_saves_of_one_note_one_wins_nine_are_refused():
    minutes = make_document(texts=MINUTES)
    note = make_note(minutes, "m-p1", "handed over", body="The original body.")
    assert note.version == 1
    users = [make_editor(f"editor{i}") for i in range(EDITORS)]
    url = reverse("admin:documents_note_change", args=[note.pk])
    barrier = threading.Barrier(EDITORS)
    serial = threading.Lock() if connection.vendor == "sqlite" else None
    results: dict[int, tuple[int, str]] = {}
    clients = []
    for user in users:  # signed in beforehand, one after the other (each login writes a session row)
        client = Client()
        client.force_login(user)
        clients.append(client)

    def save(i):
        client = clients[i]
        data = note_form(minutes, note.passage, "handed over", body=f"Body written by editor {i}.", expected_version=1)
        try:
            barrier.wait(timeout=60)
            if serial:
                with serial:
                    response = client.post(url, data)
            else:
                response = client.post(url, data)
            results[i] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == EDITORS
    saved = [i for i, (status, _html) in results.items() if status == 302]
    refused = [i for i, (status, html) in results.items() if status == 200 and "Not saved:" in html]
    assert len(saved) == 1 and len(refused) == EDITORS - 1, {i: s for i, (s, _h) in results.items()}
    note.refresh_from_db()
    assert note.body == f"Body written by editor {saved[0]}." and note.version == 2
    # Every refused editor was shown the winner's version, and the history holds exactly one change.
    assert all(f"Body written by editor {saved[0]}." in results[i][1] for i in refused)
    assert list(note.history.order_by("history_date").values_list("body", flat=True)) == [
        "The original body.", note.body]
    assert Note.objects.count() == 1

"""The note form: words typed by the editor become a W3C text-quote selector; stale saves are refused."""

from __future__ import annotations

import difflib

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection

from documents.models import Note
from documents.services.anchoring import occurrences
from documents.tei.mapping_notes import quote_selector

#: The kinds an editor chooses from (TEI "source" notes keep their kind but it is not offered).
EDITOR_KINDS = [Note.Kind.EDITORIAL, Note.Kind.TRANSLATION, Note.Kind.CROSSREF, Note.Kind.COMMENTARY]
ATTENTION = (Note.AnchorStatus.REVIEW, Note.AnchorStatus.ORPHAN)


def normalise_words(words: str) -> str:
    """Runs of white space (e.g. from a browser selection across lines) become one space."""
    return " ".join((words or "").split())


def occurrence_choices(text: str, words: str, hits: list[int]) -> list[str]:
    """Each occurrence in its context, for the "which occurrence?" question."""
    labels = []
    for n, hit in enumerate(hits, start=1):
        before = text[max(0, hit - 30) : hit]
        after = text[hit + len(words) : hit + len(words) + 30]
        labels.append(f"{n}: …{before}[{words}]{after}…")
    return labels


class NoteAdminForm(forms.ModelForm):
    """Document + passage + the exact words; prefix, suffix and offsets are computed in clean()."""

    occurrence = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="Only when the words occur more than once in the passage: which one (1 = the first).",
    )
    anchor_checked = forms.BooleanField(
        required=False,
        label="The anchor is right",
        help_text="Tick after checking an approximate match or re-attaching an orphan: "
        "the note leaves the “Needs attention” list.",
    )
    candidate = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Attach to a candidate",
        help_text="Where the re-import found these words (or similar ones) and could not decide: choose one to "
        "attach the note there (it leaves “Needs attention”), or choose the passage and words above yourself.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Note
        fields = ["document", "passage", "exact", "occurrence", "kind", "status", "body"]
        widgets = {
            "exact": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "body": forms.Textarea(attrs={"rows": 10, "cols": 80}),
        }
        labels = {"exact": "Words", "body": "Note (Markdown)"}
        error_messages = {"body": {"required": "The note is empty: write its text."}}
        help_texts = {
            "exact": "Copy the exact words from the passage's reading text; leave empty for a note on the "
            "whole passage.",
            "body": "Markdown: *italic*, **bold**, [link](https://…), lists. HTML is not allowed and is removed.",
        }

    #: Set by the admin for the preview, which never saves and so needs no version check.
    check_version = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        for name in ("document", "passage"):
            if name in self.fields:  # absent when the admin shows the note read-only
                self.fields[name].required = False
            key = self.add_prefix(name)
            if self.is_bound and not str(self.data.get(key, "")).isdigit() and self.data.get(key):
                # A posted id that is not a number (a malformed request): the autocomplete widget would look it up
                # and fail with a 500 while showing the form again; treat it as not chosen.
                self.data = self.data.copy()
                self.data[key] = ""
        kinds = list(EDITOR_KINDS)
        if self.instance.kind and self.instance.kind not in kinds:
            kinds.append(self.instance.kind)
        if "kind" in self.fields:
            self.fields["kind"].choices = [(k, Note.Kind(k).label) for k in kinds]
        if "anchor_checked" in self.fields and self.instance.anchor_status not in ATTENTION:
            del self.fields["anchor_checked"]
        if "candidate" in self.fields:
            stored = self.instance.anchor_candidates if self.instance.anchor_status in ATTENTION else []
            if stored:
                self.fields["candidate"].choices = [("", "none of them")] + [
                    (n, f"{c['anchor']}: {c['context']}") for n, c in enumerate(stored)
                ]
            else:
                del self.fields["candidate"]
        if not self.is_bound and self.instance.pk:
            # The version in the database now (for a revert from history, not the old record's).
            current = Note.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.initial["expected_version"] = current

    # -- validation -------------------------------------------------------------------------------
    def clean_body(self):
        body = (self.cleaned_data.get("body") or "").strip()
        if not body:
            raise ValidationError("The note is empty: write its text.", code="empty")
        return body

    def clean_exact(self):
        return normalise_words(self.cleaned_data.get("exact"))

    def clean(self):
        cleaned = super().clean()
        self._check_version()
        self._take_candidate(cleaned)
        passage = cleaned.get("passage")
        document = cleaned.get("document")
        if passage is not None and document is None:
            document = cleaned["document"] = passage.document
        if document is None and "document" not in self.errors:
            self.add_error("document", "Choose the document the note belongs to.")
        if passage is None:
            if self.instance.pk and self.instance.anchor_status in ATTENTION and self.instance.passage_id is None:
                return cleaned  # an orphan (or an open question) may be revised before it is re-attached
            if "passage" not in self.errors:
                self.add_error("passage", "Choose the passage the note is about (search by anchor id or words).")
            return cleaned
        if document is not None and passage.document_id != document.pk:
            self.add_error("passage", f"Passage {passage.anchor} is not in “{document}”.")
            return cleaned
        if "exact" in self.errors:
            return cleaned
        self._anchor(passage, cleaned.get("exact", ""), cleaned.get("occurrence"))
        return cleaned

    def _take_candidate(self, cleaned) -> None:
        """The candidate chosen (if any) gives the passage, the words and which occurrence."""
        number = cleaned.get("candidate")
        if number is None or not 0 <= number < len(self.instance.anchor_candidates):
            return
        chosen = self.instance.anchor_candidates[number]
        passage = self.instance.document.passages.filter(anchor=chosen["anchor"]).first()
        text = passage.reading_text if passage else ""
        if text[chosen["start"] : chosen["end"]] != chosen["exact"]:
            self.add_error("candidate", "The text has changed since this candidate was found: re-anchor the note.")
            return
        cleaned["passage"], cleaned["exact"] = passage, chosen["exact"]
        cleaned["occurrence"] = occurrences(text, chosen["exact"]).index(chosen["start"]) + 1

    def _anchor(self, passage, words: str, occurrence: int | None):
        """Compute the selector on the instance, or add the form errors the editor needs."""
        note, text = self.instance, passage.reading_text
        if not words:
            start = end = None
        else:
            hits = occurrences(text, words)
            if not hits:
                hint = ""
                if words.lower() in text.lower():
                    hint = " (they occur with different capitals)"
                elif words in passage.diplomatic_text:
                    hint = " (they are the witness's words as written; notes point into the reading text, "
                    hint += "where slips are corrected)"
                self.add_error(
                    "exact",
                    f"“{words}” is not in passage {passage.anchor}{hint}. Copy the words from its reading text "
                    f"(corrections applied): “{text[:120]}{'…' if len(text) > 120 else ''}”",
                )
                return
            if len(hits) == 1:
                start = hits[0]
            elif occurrence:
                if occurrence > len(hits):
                    self.add_error("occurrence", f"There are only {len(hits)} occurrences of “{words}”.")
                    return
                start = hits[occurrence - 1]
            elif note.pk and note.passage_id == passage.pk and note.exact == words and note.start in hits:
                start = note.start  # unchanged anchor of an existing note: no need to ask again
            else:
                choices = "; ".join(occurrence_choices(text, words, hits))
                self.add_error(
                    "occurrence",
                    f"“{words}” occurs {len(hits)} times in passage {passage.anchor}: "
                    f"say which one (1–{len(hits)}). {choices}",
                )
                return
            end = start + len(words)
        moved = (note.passage_id, note.exact, note.start) != (passage.pk, words, start)
        note.passage, note.anchor = passage, passage.anchor
        if start is None:
            note.prefix = note.suffix = ""
            note.start = note.end = None
        else:
            sel = quote_selector(text, start, end)
            note.prefix, note.suffix, note.start, note.end = sel["prefix"], sel["suffix"], start, end
        if note.anchor_status in ATTENTION and (moved or self.cleaned_data.get("anchor_checked")):
            note.anchor_status = Note.AnchorStatus.OK
            note.old_context = ""
            note.anchor_candidates = []
        elif not note.pk:
            note.anchor_status = Note.AnchorStatus.OK

    def _check_version(self):
        """Optimistic locking: refuse the save if someone saved the note since this form was opened."""
        if not self.check_version or not self.instance.pk:
            return
        expected = self.cleaned_data.get("expected_version")
        rows = Note.objects.filter(pk=self.instance.pk).order_by()  # no join from Meta.ordering
        if connection.in_atomic_block:
            rows = rows.select_for_update(of=("self",))  # held until the admin's transaction commits
        current = rows.first()
        if current is None:
            raise ValidationError("This note was deleted by someone else while you were editing it.")
        if expected is not None and expected == current.version:
            # A revert from history starts from an old record: continue from the current version.
            self.instance.version = current.version
            return
        self.conflict = current
        # Saving again after reading the other's change is a deliberate overwrite.
        data = self.data.copy()
        data[self.add_prefix("expected_version")] = str(current.version)
        self.data = data
        last = current.history.order_by("-history_date").first()
        who = getattr(last.history_user, "username", None) if last else None
        when = last.history_date.strftime("%Y-%m-%d %H:%M UTC") if last else "meanwhile"
        raise ValidationError(
            "Not saved: %(who)s saved this note (%(when)s, version %(version)s) after you opened it. "
            "Their version is shown below with the differences from yours. Nothing was overwritten; "
            "to replace their version with yours, save again.",
            code="conflict",
            params={"who": who or "another editor", "when": when, "version": current.version},
        )

    def conflict_diff(self) -> list[dict]:
        """For each field that differs: label, theirs, yours and a line diff (for the template)."""
        if self.conflict is None:
            return []
        rows = []
        for name in ("document", "passage", "exact", "kind", "status", "body"):
            theirs = getattr(self.conflict, name)
            yours = self.cleaned_data.get(name, self.data.get(self.add_prefix(name), ""))
            theirs_s, yours_s = _display(theirs), _display(yours)
            if theirs_s == yours_s:
                continue
            diff = difflib.unified_diff(
                theirs_s.splitlines(), yours_s.splitlines(), "theirs (saved)", "yours (not saved)", lineterm="", n=2
            )
            rows.append({"label": self.fields[name].label or name, "theirs": theirs_s, "yours": yours_s,
                         "diff": list(diff)})  # fmt: skip
        return rows


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)

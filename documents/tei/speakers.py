"""Who speaks a turn when the file says it only partly, and speakers written in running text.

Pure functions (no lxml, no Django), shared by the mapping, the models and the exports:

- `speaker_display`: the name pages and exports show for a turn: the resolved speaker's name, else
  the `<speaker>` label as written (without its closing colon), else the `@who` pointer made
  readable (`#Smith.John` -> "Smith John"). A file that names someone never yields "Unknown speaker".
- `detect_label`: the opt-in detector of `import_tei --detect-speakers` (docs/importer.md): a
  paragraph that begins with a speaker's label, as transcripts print them ("SECRETARY KISSINGER:",
  "Mr. Smith:", "THE PRESIDENT:"), gives the label; anything else gives None. Conservative by design:
  a colon inside a sentence, lowercase words, numbers ("AGENDA ITEM 1:"), salutations ("Sir:",
  "Dear Sir:") and a label with nothing after it ("Present:") are not speakers.
"""

from __future__ import annotations

import re

#: Titles that make a capitalised name a speaker's label ("Mr. Smith:", "Ambassador Dobrynin:").
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "secretary", "ambassador", "minister", "senator",
     "general", "admiral", "colonel", "chairman", "president", "governor", "judge", "justice", "representative",
     "congressman", "congresswoman", "premier", "chancellor", "comrade", "messrs"}
)  # fmt: skip
#: Words that open a letter or a remark, not a speech ("Sir:", "Dear Sir:", "Note:", "EXCELLENCY:").
NOT_SPEAKERS = frozenset({"sir", "sirs", "dear", "excellency", "note", "remark", "gentlemen", "madam", "present"})
MAX_LABEL_WORDS = 6
MAX_LABEL_CHARS = 60
_LABEL = re.compile(r"^(?P<label>[^\W\d_][^:\n]{0,60}?):(?=\s+\S)")  # at most MAX_LABEL_CHARS
_WORD = re.compile(r"[^\W\d_][\w'’.-]*$")


def readable_who(who: str) -> str:
    """A @who pointer made readable: '#Smith.John' -> 'Smith John', '#KucanMilan' -> 'Kucan Milan',
    'persons.xml#jd' -> 'jd'; several pointers are joined with ', '."""
    names = []
    for token in (who or "").split():
        ident = token.rpartition("#")[2] if "#" in token else token.rpartition(":")[2]
        ident = re.sub(r"[._\-]+", " ", ident)
        ident = re.sub(r"(?<=[^\W\d_])(?=[A-Z])", " ", ident) if not ident.isupper() else ident
        ident = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", ident)
        ident = " ".join(ident.split())
        if ident:
            names.append(ident)
    return ", ".join(names)


def speaker_display(name: str, label: str, who: str) -> str:
    """The speaker's name, else the label as written without its colon, else the readable @who."""
    if name:
        return name
    label = (label or "").strip().rstrip(":").strip()
    return label or readable_who(who)


def _is_name_word(word: str) -> bool:
    return bool(_WORD.match(word)) and word[0].isupper()


def detect_label(text: str) -> str | None:
    """The speaker's label (with its colon, as written) that `text` begins with, or None (module docstring)."""
    match = _LABEL.match(text or "")
    if match is None:
        return None
    label = match.group("label").strip()
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or any(not _is_name_word(w) for w in words):
        return None
    if words[0].lower().rstrip(".") in NOT_SPEAKERS:
        return None
    letters = [c for c in label if c.isalpha()]
    all_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
    titled = words[0].lower().rstrip(".") in TITLES and len(words) >= 2
    the_title = len(words) == 2 and words[0] in {"The", "THE"} and words[1].lower() in TITLES
    if not (all_caps or titled or the_title):
        return None
    return text[: match.end()]

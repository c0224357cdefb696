"""Writing one mapped TEI file (FileData) to the database, inside the caller's transaction.

Problems found while writing (a dangling pointer in our TEI, a slug taken by another file)
are collected and raised together as ImportFailed, so that the file's transaction rolls back.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from documents.models import Entity, EntityAlias, Passage, PassageLink, SourceFile
from documents.signals import entities_imported
from documents.tei.mapping_types import EntityData, FileData, Problem, Ref

from .import_collections import write_collection
from .import_documents import DocumentsWriter
from .import_unpointed import drop_unused_unpointed, redirect_merged, write_unpointed

ENTITY_FIELDS = ("kind", "name", "sort_name", "description", "data", "source_file_id")


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class FileWriter:
    """Writes the entities, documents and links of one file."""

    def __init__(self, data: FileData, digest: str, counts: dict, source: SourceFile | None = None):
        self.data = data
        self.digest = digest
        self.counts = counts
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.notes_kept: dict[str, int] = {"kept": 0, "moved": 0, "orphaned": 0}
        self.path_key = str(Path(data.path).resolve())
        #: The file's SourceFile row when the importer has just read it (saves a query per file).
        self.known_source = source
        self.entity_pks: dict[str, int] = {}
        #: Entities that existed before this import and whose name or aliases it changed.
        self.renamed: set[int] = set()
        self._reported: set[tuple[str, int]] = set()

    # -- problems ---------------------------------------------------------------------------
    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.data.path, line, 0, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.data.path, line, 0, message))

    def issue(self, line: int, message: str) -> None:
        (self.problem if self.data.ours else self.warn)(line, message)

    def entity(self, ref: Ref | None, what: str) -> int | None:
        """The pk of a referenced entity; a dangling pointer is an error in our own TEI."""
        if ref is None:
            return None
        pk = self.entity_pks.get(ref.key)
        if pk is None and (ref.raw, ref.line) not in self._reported:
            self._reported.add((ref.raw, ref.line))
            self.issue(ref.line, f"{what} {ref.raw!r} points to no entity (no xml:id {ref.key!r} in the entity lists)")
        return pk

    # -- the file ---------------------------------------------------------------------------
    def write(self) -> None:
        self.source_is_new = False
        if self.known_source is not None and self.known_source.path == self.path_key:
            self.source = self.known_source
        elif getattr(self, "source_absent", False):  # the importer found no row for the path, under the lock
            self.source = SourceFile.objects.create(path=self.path_key, checksum=self.digest)
            self.source_is_new = True
        else:
            self.source, _ = SourceFile.objects.get_or_create(path=self.path_key, defaults={"checksum": self.digest})
        if self.data.entities or not self.source_is_new:  # a new file has defined nothing before
            self.write_entities(self.data.entities)
        redirect_merged(self.data)  # names an editor merged into another entity stay merged
        write_unpointed(self.data, self.source, self.counts["entities"])
        self.send_renamed()
        self.load_entity_keys()
        self.link_affiliations(self.data.entities)
        if self.data.documents:
            DocumentsWriter(self).write(self.data.documents)
            if not self.problems:
                write_collection(self)
            drop_unused_unpointed(self.source, self.counts["entities"])
        if self.data.links:
            self.write_links()
        if self.problems:
            raise ImportFailed(self.problems)
        self.source.checksum = self.digest
        self.source.save()

    def load_entity_keys(self) -> None:
        keys = {e.key for e in self.data.entities}
        for doc in self.data.documents:
            keys.update(p.ref.key for p in doc.participants)
            keys.update(t.speaker.key for t in doc.turns if t.speaker)
            keys.update(m.ref.key for p in doc.passages for m in p.mentions)
        keys.update(e.affiliation.key for e in self.data.entities if e.affiliation)
        keys.update(ref.key for ref in self.data.refs)
        self.entity_pks = dict(Entity.objects.filter(key__in=keys).values_list("key", "pk"))
        for ref in self.data.refs:  # names in notes and headers too: none may dangle in our TEI
            self.entity(ref, "@ref")

    # -- entities ---------------------------------------------------------------------------
    def write_entities(self, entities: list[EntityData]) -> None:
        counts = self.counts["entities"]
        keys = {e.key for e in entities}
        # One query: the entities named here and those this file defined before (to find vanished ones).
        mine = Q(source_file=self.source)
        existing, vanished_before = {}, False
        for obj in Entity.objects.filter(Q(key__in=keys) | mine if keys else mine).order_by():
            if obj.key in keys:
                existing[obj.key] = obj
            else:
                vanished_before = True
        create, update = [], []
        for data in entities:
            values = {
                "kind": data.kind,
                "name": data.name,
                "sort_name": data.sort_name,
                "description": data.description,
                "data": data.data,
                "source_file_id": self.source.pk,
            }
            obj = existing.get(data.key)
            if obj is None:
                create.append(Entity(key=data.key, **values))
            else:
                if obj.source_file_id not in (None, self.source.pk) and self.data.ours:
                    other = SourceFile.objects.filter(pk=obj.source_file_id).values_list("path", flat=True).first()
                    if other and Path(other).exists():
                        self.problem(data.line, f"entity {data.key!r} is already defined in {other}")
                        continue
                if obj.name != data.name:
                    self.renamed.add(obj.pk)
                if any(getattr(obj, f) != v for f, v in values.items()):
                    for f, v in values.items():
                        setattr(obj, f, v)
                    update.append(obj)
                else:
                    counts.unchanged += 1
        Entity.objects.bulk_create(create, batch_size=500)
        Entity.objects.bulk_update(update, ENTITY_FIELDS, batch_size=500)
        counts.created += len(create)
        counts.updated += len(update)
        self.write_aliases(entities, existed={obj.pk for obj in existing.values()})
        if not vanished_before:
            return
        # Unreviewed entries (names without a pointer) are not in the file's lists: import_unpointed.py.
        vanished = Entity.objects.filter(source_file=self.source, reviewed=True).exclude(key__in=keys)
        used = vanished.filter(Q(mentions__isnull=False) | Q(participations__isnull=False) | Q(turns__isnull=False))
        for entity in used.distinct():
            self.warn(0, f"entity {entity.key!r} is no longer in the file but is still referred to: kept")
        unused = list(vanished.exclude(pk__in=used.values("pk")).values_list("pk", flat=True))
        if unused:
            Entity.objects.filter(pk__in=unused).delete()
            counts.deleted += len(unused)

    def write_aliases(self, entities: list[EntityData], existed: set[int]) -> None:
        if not entities:
            return
        pks = dict(Entity.objects.filter(key__in=[e.key for e in entities]).values_list("key", "pk"))
        wanted = {(pks[e.key], name, lang) for e in entities if e.key in pks for name, lang in e.aliases}
        aliases = EntityAlias.objects.filter(entity_id__in=pks.values(), merged_key="")  # an editor's merges stay
        current = {(a.entity_id, a.name, a.lang): a.pk for a in aliases}
        stale = {key: pk for key, pk in current.items() if key not in wanted}
        if stale:
            EntityAlias.objects.filter(pk__in=stale.values()).delete()
        new = [EntityAlias(entity_id=e, name=n, lang=lang) for (e, n, lang) in wanted if (e, n, lang) not in current]
        EntityAlias.objects.bulk_create(new, batch_size=500)
        self.renamed.update(e for e in (*(key[0] for key in stale), *(a.entity_id for a in new)) if e in existed)

    def send_renamed(self) -> None:
        """Tell derived data (search index names, caches) which existing entities were renamed or re-aliased."""
        if not self.renamed:
            return
        for receiver, result in entities_imported.send_robust(sender=Entity, entity_ids=set(self.renamed)):
            if isinstance(result, Exception):  # derived data is stale; the import itself stands
                name = getattr(receiver, "__qualname__", repr(receiver))
                self.warn(0, f"entities_imported receiver {name} failed: {result!r}")

    def link_affiliations(self, entities: list[EntityData]) -> None:
        changed = []
        objects = Entity.objects.in_bulk([e.key for e in entities if e.affiliation], field_name="key")
        for data in entities:
            if data.affiliation is None or data.key not in objects:
                continue
            pk = self.entity(data.affiliation, "affiliation @ref")
            obj = objects[data.key]
            if obj.affiliation_id != pk:
                obj.affiliation_id = pk
                changed.append(obj)
        Entity.objects.bulk_update(changed, ["affiliation"], batch_size=500)

    # -- links ------------------------------------------------------------------------------
    def _source_file_for(self, name: str) -> int | None:
        if not name:
            return self.source.pk
        candidate = str((Path(self.data.path).parent / name).resolve())
        pk = SourceFile.objects.filter(path=candidate).values_list("pk", flat=True).first()
        if pk is None:
            matches = list(SourceFile.objects.filter(path__endswith=f"/{Path(name).name}").values_list("pk", flat=True))
            pk = matches[0] if len(matches) == 1 else None
        return pk

    def write_links(self) -> None:
        """The file's <link>s as PassageLinks: the vanished ones deleted, new ones created (unless an editor
        made the same link), changed ones updated; an end that is not an imported passage is an issue."""
        wanted = self._wanted_links()
        existing = {
            _link_key(lk): lk for lk in PassageLink.objects.filter(source_file=self.source, provenance="tei")
        }
        stale = [lk.pk for key, lk in existing.items() if key not in wanted]
        if stale:
            PassageLink.objects.filter(pk__in=stale).delete()
            self.counts["links"].deleted += len(stale)
        self._save_links(wanted, existing, self._links_of_others(wanted))

    def _wanted_links(self) -> dict:
        """(source document, anchor, target document, anchor, kind) -> (source pk, target pk, LinkData)."""
        names = {name for link in self.data.links for name in (link.source_file, link.target_file)}
        files = {name: self._source_file_for(name) for name in names}
        anchors = {a for link in self.data.links for a in (link.source_anchor, link.target_anchor)}
        passages = {
            (sf, anchor): (pk, doc)
            for pk, anchor, doc, sf in Passage.objects.filter(
                anchor__in=anchors, document__source_file__in=[pk for pk in files.values() if pk]
            ).values_list("pk", "anchor", "document_id", "document__source_file_id")
        }
        wanted = {}
        for link in self.data.links:
            ends = [
                self._link_end(passages.get((files.get(name), anchor)), link, name, anchor)
                for name, anchor in ((link.source_file, link.source_anchor), (link.target_file, link.target_anchor))
            ]
            if None not in ends:
                (spk, sdoc), (tpk, tdoc) = ends
                wanted[(sdoc, link.source_anchor, tdoc, link.target_anchor, link.kind)] = (spk, tpk, link)
        return wanted

    def _link_end(self, found, link, name: str, anchor: str):
        if found is None:
            where = name or Path(self.data.path).name
            self.issue(link.line, f"link points to {where}#{anchor}: no such passage has been imported")
        return found

    def _links_of_others(self, wanted: dict) -> set:
        """The keys of `wanted` that a link not from this file's TEI (an editor's) already has."""
        if not wanted:
            return set()
        q = Q()
        for s, sa, t, ta, k in wanted:
            q |= Q(source_document_id=s, source_anchor=sa, target_document_id=t, target_anchor=ta, kind=k)
        others = PassageLink.objects.filter(q).exclude(source_file=self.source, provenance="tei")
        return {_link_key(lk) for lk in others}

    def _save_links(self, wanted: dict, existing: dict, taken: set) -> None:
        counts = self.counts["links"]
        create, update = [], []
        for key, (spk, tpk, link) in wanted.items():
            obj = existing.get(key)
            if obj is None:
                if key in taken:  # an editor made the same link: theirs stays
                    counts.unchanged += 1
                    continue
                create.append(
                    PassageLink(
                        xml_id=link.xml_id, source_id=spk, target_id=tpk, source_document_id=key[0],
                        target_document_id=key[2], source_anchor=key[1], target_anchor=key[3], kind=link.kind,
                        description=link.description, provenance="tei", status="published", source_file=self.source,
                    )
                )
            elif (obj.source_id, obj.target_id, obj.xml_id, obj.description) != (
                spk, tpk, link.xml_id, link.description
            ):
                obj.source_id, obj.target_id, obj.xml_id, obj.description = spk, tpk, link.xml_id, link.description
                obj.modified = timezone.now()  # bulk_update does not run auto_now
                update.append(obj)
            else:
                counts.unchanged += 1
        PassageLink.objects.bulk_create(create, batch_size=500)
        fields = ["source", "target", "xml_id", "description", "modified"]
        PassageLink.objects.bulk_update(update, fields, batch_size=500)
        counts.created += len(create)
        counts.updated += len(update)


def _link_key(link: PassageLink) -> tuple:
    return (link.source_document_id, link.source_anchor, link.target_document_id, link.target_anchor, link.kind)

/*
 * "Select words -> Add note" for signed-in editors (progressive enhancement; the reader works without it).
 *
 * Include it only for editors:
 *   <script src="{% static 'js/add-note.js' %}" defer
 *           data-add-url="{% url 'admin:documents_note_add' %}" data-document="{{ document.slug }}"></script>
 * Passages are elements with data-anchor="<anchor id>" (or the reader's <p class="passage" id="<anchor>">).
 * Parts of a passage that are not its text (.note-ref markers, .speaker-label, or anything marked
 * data-not-text) are not counted.
 * When the selection lies inside one passage, a button "Add note" appears next to it; it opens the admin's
 * add form with document, passage (anchor), the exact words and which occurrence they are, e.g.
 *   /admin/documents/note/add/?document=minutes&anchor=m-p3&exact=the+memorandum&occurrence=2
 * The admin checks everything again (words not in the passage, ambiguous occurrence) and says what is wrong.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.getSelection) return;
  var addUrl = script.getAttribute("data-add-url") || "/admin/documents/note/add/";
  var defaultDocument = script.getAttribute("data-document") || "";

  var button = document.createElement("a");
  button.className = "add-note-button";
  button.textContent = "Add note";
  button.hidden = true;
  button.style.cssText = "position:absolute;z-index:1000;padding:.25em .6em;border:1px solid currentColor;" +
    "border-radius:.25em;background:Canvas;color:LinkText;font:inherit;font-size:.9rem;text-decoration:none";
  document.body.appendChild(button);
  // Keep the selection when the button is pressed (a click would otherwise collapse it first).
  button.addEventListener("mousedown", function (event) { event.preventDefault(); });

  // Parts of a passage that are not its text: note markers, the speaker label, anything marked so.
  var NOT_TEXT = "[data-not-text], .note-ref, .speaker-label";

  function normalise(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  /* The passage's text before `node:offset`, skipping [data-not-text] parts. */
  function textBefore(passage, node, offset) {
    var range = document.createRange();
    range.setStart(passage, 0);
    range.setEnd(node, offset);
    var fragment = range.cloneContents();
    fragment.querySelectorAll(NOT_TEXT).forEach(function (el) { el.remove(); });
    return fragment.textContent;
  }

  function passageText(passage) {
    var clone = passage.cloneNode(true);
    clone.querySelectorAll(NOT_TEXT).forEach(function (el) { el.remove(); });
    return normalise(clone.textContent);
  }

  /* 1-based occurrence of `words` in the passage that starts at or after the selection start. */
  function occurrence(passage, words, range) {
    var before = normalise(textBefore(passage, range.startContainer, range.startOffset) + "\u0001");
    before = before.slice(0, -1);
    var text = passageText(passage);
    var count = 0, pos = text.indexOf(words);
    while (pos !== -1) {
      count += 1;
      if (pos >= before.length - 1) return count;
      pos = text.indexOf(words, pos + 1);
    }
    return count || 1;
  }

  /* The passage element around a node: [data-anchor], else the reader's .passage[id] (id = anchor). */
  function passageOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    if (!el) return null;
    return el.closest("[data-anchor]:not(button)") || el.closest(".passage[id]");
  }

  function anchorOf(passage) {
    return passage.getAttribute("data-anchor") || passage.id;
  }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      button.hidden = true;
      return;
    }
    var range = selection.getRangeAt(0);
    var passage = passageOf(range.startContainer);
    var words = normalise(selection.toString());
    if (!passage || passage !== passageOf(range.endContainer) || !words) {
      button.hidden = true;
      return;
    }
    var holder = passage.closest("[data-document]");
    var params = new URLSearchParams();
    params.set("document", (holder && holder.getAttribute("data-document")) || defaultDocument);
    params.set("anchor", anchorOf(passage));
    params.set("exact", words);
    params.set("occurrence", String(occurrence(passage, words, range)));
    button.href = addUrl + "?" + params.toString();
    var rect = range.getBoundingClientRect();
    button.style.top = (window.scrollY + rect.bottom + 6) + "px";
    button.style.left = (window.scrollX + rect.left) + "px";
    button.hidden = false;
  }

  document.addEventListener("selectionchange", function () { window.requestAnimationFrame(update); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") button.hidden = true;
  });
})();

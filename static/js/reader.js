/* Small enhancements of pages that work without JavaScript:
   copy-link buttons, margin notes aligned with their markers, entity cards on hover/focus,
   partner passages scrolled into view on the compare page. No dependencies. */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 64rem)");

  /* Copy-link buttons: hidden without JS (they could not work), shown here. */
  function setupCopyLinks() {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
    document.querySelectorAll("button.copy-link").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + button.dataset.anchor;
        var say = function (label, message) {
          button.classList.add("copied");
          button.textContent = label;
          status.textContent = message;
          setTimeout(function () { button.textContent = "Copy link"; button.classList.remove("copied"); }, 2000);
        };
        var fallback = function () {
          /* No async clipboard (e.g. plain http): try the old way, else leave the link in the address bar. */
          var field = document.createElement("textarea");
          field.value = url;
          field.setAttribute("readonly", "");
          field.style.position = "fixed";
          field.style.opacity = "0";
          document.body.appendChild(field);
          field.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          field.remove();
          button.focus();
          if (ok) { say("Copied", "Link copied: " + url); return; }
          history.replaceState(null, "", url);
          say("In address bar", "The link is in the address bar: " + url);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { say("Copied", "Link copied: " + url); }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  /* Margin notes: each group starts in its passage's grid row; nudge each note down to its marker's line,
     never onto the previous note (the grid keeps groups of different passages apart).
     First view (issue 13.1): every position is read first and the shifts written after (one layout, not
     one per note); only shifts that change are written, so a re-run that changes nothing (fonts, resize)
     does not re-lay out the page; and it runs after the first paint (afterFirstPaint), never before it.
     A note's top includes the margins now set above it (its own and its predecessors'): subtracted to get
     its unshifted top. Another group's growth moves its later groups and their markers alike. */
  function placeNotes() {
    var writes = [];
    document.querySelectorAll(".rows > .notes").forEach(function (aside) {
      var items = aside.querySelectorAll(".note");
      var applied = 0, added = 0;
      var previousBottom = aside.getBoundingClientRect().top;
      items.forEach(function (li) {
        var current = parseFloat(li.style.marginTop) || 0;
        var shift = 0;
        if (wide.matches) {
          var rect = li.getBoundingClientRect();
          var top = rect.top - applied - current + added;
          var marker = document.getElementById("ref-" + li.id);
          if (marker) shift = Math.max(0, marker.getBoundingClientRect().top - 4 - Math.max(top, previousBottom));
          added += shift;
          previousBottom = top + shift + rect.height + 4;
        }
        applied += current;
        if (Math.abs(shift - current) > 0.5) writes.push([li, shift > 0 ? shift + "px" : ""]);
      });
    });
    writes.forEach(function (w) { w[0].style.marginTop = w[1]; });
  }

  /* After the first frame is painted: a requestAnimationFrame callback runs just before a paint, a task it
     queues just after. */
  function afterFirstPaint(fn) {
    requestAnimationFrame(function () { setTimeout(fn, 0); });
  }

  /* Notes: highlight the note and its anchored words when a marker or note is the URL fragment. */
  function markActive() {
    document.querySelectorAll(".is-active").forEach(function (el) { el.classList.remove("is-active"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var note = document.getElementById(id);
    if (!note || !note.classList.contains("note")) return;
    note.classList.add("is-active");
    document.querySelectorAll("mark.note-anchor").forEach(function (mark) {
      if ((" " + mark.dataset.notes + " ").indexOf(" " + id + " ") >= 0) mark.classList.add("is-active");
    });
  }

  /* Entity cards: the hidden card the mention is described by, shown beside it on hover and focus. */
  function setupEntityCards() {
    var pop = null;
    function hide() { if (pop) { pop.remove(); pop = null; } }
    function show(link) {
      var card = document.getElementById("card-" + link.dataset.entity);
      if (!card) return;
      hide();
      pop = document.createElement("div");
      pop.className = "entity-pop";
      pop.setAttribute("role", "tooltip");
      pop.innerHTML = card.innerHTML;
      document.body.appendChild(pop);
      var r = link.getBoundingClientRect();
      var left = Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8);
      pop.style.left = Math.max(8, left) + "px";
      pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    }
    document.addEventListener("mouseover", function (e) {
      var link = e.target.closest && e.target.closest("a.mention");
      if (link) show(link);
    });
    document.addEventListener("mouseout", function (e) {
      var link = e.target.closest && e.target.closest("a.mention");
      if (link && !link.contains(e.relatedTarget)) hide();
    });
    document.addEventListener("focusin", function (e) {
      if (e.target.matches && e.target.matches("a.mention")) show(e.target); else hide();
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  /* Compare: choosing a linked passage scrolls its partner into view in the other column and highlights it. */
  function setupPartners() {
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a.partner");
      if (!link) return;
      var target = document.getElementById(link.dataset.target);
      if (!target) return;
      e.preventDefault();
      document.querySelectorAll(".crow.is-partner").forEach(function (el) { el.classList.remove("is-partner"); });
      var source = link.closest(".crow");
      if (source) source.classList.add("is-partner");
      target.classList.add("is-partner");
      var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      target.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + target.id);
    });
  }

  function init() {
    setupCopyLinks();
    setupEntityCards();
    setupPartners();
    afterFirstPaint(placeNotes);
    markActive();
    window.addEventListener("hashchange", markActive);
    window.addEventListener("resize", placeNotes);
    if (wide.addEventListener) wide.addEventListener("change", placeNotes);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { afterFirstPaint(placeNotes); });
    /* Print the source note too (a closed <details> would hide it). */
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.source-note:not([open])").forEach(function (d) {
        d.setAttribute("open", "");
        d.dataset.openedForPrint = "1";
      });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details[data-opened-for-print]").forEach(function (d) {
        d.removeAttribute("open");
        delete d.dataset.openedForPrint;
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

// Cite panels: reveal the copy buttons (the panel works without them) and copy a citation's text.
// A paragraph's "Cite" link (.cite-link, to /documents/<slug>/cite/?passage=<anchor>) works as a plain link;
// here it opens that page's panel inline instead, as a disclosure: aria-expanded on the link, focus moved
// into the panel, Escape or "Close" shuts it and returns focus to the link.
(function () {
  "use strict";
  var canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);

  function reveal(root) {
    if (!canCopy) return;
    root.querySelectorAll(".cite-copy").forEach(function (button) { button.hidden = false; });
  }

  function copy(button) {
    var source = document.getElementById(button.dataset.copyTarget);
    var status = button.closest(".cite-panel").querySelector(".cite-status");
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(
      function () { if (status) status.textContent = "Citation copied."; },
      function () { if (status) status.textContent = "Could not copy; select the text instead."; }
    );
  }

  var current = null; // {link, pop} of the open paragraph panel

  function close(returnFocus) {
    if (!current) return;
    current.pop.hidden = true;
    current.link.setAttribute("aria-expanded", "false");
    if (returnFocus) current.link.focus();
    current = null;
  }

  function show(link, pop) {
    close(false);
    pop.hidden = false;
    link.setAttribute("aria-expanded", "true");
    current = {link: link, pop: pop};
    pop.focus();
  }

  function build(link, html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var body = page.querySelector(".cite-panel .cite-body");
    if (!body) throw new Error("no cite panel");
    var pop = document.createElement("div");
    pop.className = "cite-panel cite-pop";
    pop.id = "pop-" + page.querySelector(".cite-panel").id;
    pop.tabIndex = -1;
    pop.setAttribute("role", "group");
    pop.setAttribute("aria-label", link.getAttribute("aria-label") || "Cite");
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "cite-close";
    closeButton.textContent = "Close";
    closeButton.addEventListener("click", function () { close(true); });
    pop.appendChild(document.importNode(body, true));
    pop.appendChild(closeButton);
    reveal(pop);
    link.insertAdjacentElement("afterend", pop);
    link.setAttribute("aria-controls", pop.id);
    return pop;
  }

  function toggle(link) {
    var id = link.getAttribute("aria-controls");
    var pop = id && document.getElementById(id);
    if (pop) {
      if (current && current.pop === pop) close(true); else show(link, pop);
      return;
    }
    link.setAttribute("aria-busy", "true");
    fetch(link.href, {headers: {"Accept": "text/html"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) { show(link, build(link, html)); })
      .catch(function () { location.href = link.href; })
      .then(function () { link.removeAttribute("aria-busy"); });
  }

  document.querySelectorAll("a.cite-link").forEach(function (link) { link.setAttribute("aria-expanded", "false"); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".cite-copy");
    if (button) { copy(button); return; }
    var link = event.target.closest("a.cite-link");
    if (link && event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
      event.preventDefault();
      toggle(link);
      return;
    }
    if (current && !current.pop.contains(event.target) && event.target !== current.link) close(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !current) return;
    var inside = current.pop.contains(document.activeElement) || document.activeElement === current.link;
    close(inside);
  });

  reveal(document);
})();

// Cite panels: reveal the copy buttons (the panel works without them) and copy a citation's text.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll(".cite-copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copyTarget);
      var status = button.closest(".cite-panel").querySelector(".cite-status");
      if (!source) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { if (status) status.textContent = "Citation copied."; },
        function () { if (status) status.textContent = "Could not copy; select the text instead."; }
      );
    });
  });
})();

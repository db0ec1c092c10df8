/* MapleCase pages: small progressive enhancements, no inline code (CSP-friendly), no third party. */
(function () {
  "use strict";

  // After a form error the page is rendered by the POST-only address; show the page's own address so
  // that a reload (or a bookmark) opens the page instead of an empty "method not allowed".
  var canonical = document.body.getAttribute("data-canonical-url");
  if (canonical && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", canonical + window.location.hash);
  }

  // Searchable multi-select (citizenship): a filter box above a short list; chosen options stay listed.
  function enhance(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.setAttribute("aria-label", select.getAttribute("data-filter-label") || "Filter");
    box.placeholder = select.getAttribute("data-filter-placeholder") || "";
    var chosen = document.createElement("p");
    chosen.className = "select-chosen muted small";
    chosen.setAttribute("aria-live", "polite");
    function showChosen() {
      var names = [];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].selected) names.push(select.options[i].text);
      }
      chosen.textContent = names.join(", ");
    }
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        o.hidden = q !== "" && !o.selected && o.text.toLowerCase().indexOf(q) === -1;
      }
    });
    select.addEventListener("change", showChosen);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(chosen, select.nextSibling);
    showChosen();
  }
  var selects = document.querySelectorAll("select[data-searchable]");
  for (var i = 0; i < selects.length; i++) enhance(selects[i]);
})();

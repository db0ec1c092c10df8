/* The questionnaire's live score: as the client answers, post the form to its preview address (nothing is
   saved) and show the CRS the answers would give. Job titles picked from the NOC list fill the NOC code
   and TEER. External file, no inline code (CSP), no third party. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-preview-url]");
  var total = document.getElementById("live-total");
  var rows = document.getElementById("live-rows");
  var missing = document.getElementById("live-missing");

  function show(data) {
    if (!total || data.errors) return;
    total.textContent = data.total === null ? "—" : String(data.total);
    if (missing) missing.hidden = data.total !== null;
    if (!rows) return;
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    (data.rows || []).forEach(function (section) {
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = section.label + " ";
      var pill = document.createElement("span");
      pill.className = "pill";
      pill.textContent = String(section.total);
      summary.appendChild(pill);
      details.appendChild(summary);
      var list = document.createElement("ul");
      list.className = "list small";
      section.items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item[0] + ": " + item[1];
        list.appendChild(li);
      });
      details.appendChild(list);
      rows.appendChild(details);
    });
  }

  var timer = null;
  var sent = 0;
  function preview() {
    var mine = ++sent;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === sent) show(data); })
      .catch(function () { /* the score stays as it was */ });
  }
  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(preview, 350);
  }

  function fillNoc() {
    var title = form.querySelector("input[list=noc-titles]");
    var list = document.getElementById("noc-titles");
    if (!title || !list) return;
    var match = null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === title.value) match = list.options[i];
    }
    if (!match) return;
    var code = form.querySelector("[name=noc_code]");
    var teer = form.querySelector("[name=teer]");
    if (code) code.value = match.getAttribute("data-code");
    if (teer) teer.value = match.getAttribute("data-teer");
  }

  if (form) {
    form.addEventListener("input", function (e) {
      if (e.target && e.target.getAttribute("list") === "noc-titles") fillNoc();
      later();
    });
    form.addEventListener("change", later);
  }
})();

// Review pages: select all rows, show only the bulk fields the chosen action needs, and keep the edit
// lock of an open report alive. Everything works without this script; it only makes it smoother.
(function () {
  "use strict";

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('#queue-table input[name="ids"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  var action = document.getElementById("bulk-action");
  var assignee = document.getElementById("bulk-assignee");
  var reason = document.getElementById("bulk-reason");
  function syncBulk() {
    if (!action) return;
    var value = action.value;
    if (assignee) assignee.hidden = value !== "assign";
    if (reason) {
      reason.hidden = value === "assign" || value === "assign_me";
      reason.required = value === "clarify" || value === "reject";
    }
  }
  if (action) {
    action.addEventListener("change", syncBulk);
    syncBulk();
  }

  // The edit lock lasts ten minutes; renew it every four while this page stays open and visible.
  var lock = document.getElementById("lock");
  if (lock && lock.dataset.lock === "mine" && lock.dataset.renewUrl) {
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    var renew = function () {
      if (document.visibilityState !== "visible") return;
      fetch(lock.dataset.renewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).catch(function () { /* offline: the lock simply expires */ });
    };
    window.setInterval(renew, 4 * 60 * 1000);
  }
})();

// The import page: files dropped on the form join the file field (the page works
// without this: the field takes them too); the results page reloads itself when
// the import has finished.
(function () {
  "use strict";

  var zone = document.querySelector("[data-drop-zone]");
  if (zone) {
    var input = zone.querySelector('input[type="file"]');
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (file) { files.items.add(file); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (file) { files.items.add(file); });
      input.files = files.files;
    });
  }

  var job = document.querySelector("[data-import-job][data-status-url]");
  if (job) {
    var url = job.getAttribute("data-status-url");
    var progress = job.querySelector("[data-progress]");
    var look = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.ok) return response.json();
          // A server or proxy hiccup (5xx): look again later. A 4xx (signed out, the
          // job gone) will not mend: stop, the page says how to see the results.
          if (response.status >= 500) throw new Error("status " + response.status);
          return null;
        })
        .then(function (data) {
          if (!data) return;
          if (data.done) { window.location.reload(); return; }
          if (progress) progress.textContent = "Importing… " + data.finished + " of " + data.files + " files done.";
          (data.items || []).forEach(function (item) {
            var cell = job.querySelector('[data-item="' + item.position + '"] [data-result]');
            if (cell && item.status !== "queued") cell.textContent = item.label;
          });
          setTimeout(look, 700);
        })
        .catch(function () { setTimeout(look, 2000); });
    };
    setTimeout(look, 300);
  }
})();

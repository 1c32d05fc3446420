// The article page. Open the folded section (reader comments, boilerplate) that
// holds the paragraph a link points at, so that #p-<position> always shows it.
(function () {
  "use strict";

  function revealTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    for (var node = target.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    target.scrollIntoView({ block: "start" });
  }

  window.addEventListener("hashchange", revealTarget);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealTarget);
  } else {
    revealTarget();
  }
})();

// Progressive enhancement only: every feature below also works without this file.
// "/" focuses the search box (as on many search sites); Escape inside it clears it.
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box) { return; }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA") {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { box.value = ""; }
  });
}());

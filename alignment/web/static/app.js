// The workbench's only script (no inline JS: the Content-Security-Policy forbids it).
// Filters apply as soon as a choice changes; everything still works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var filters = document.getElementById("filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.submit(); });
    });
  }
});

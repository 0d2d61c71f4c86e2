// Names for the admin's fields that Django's templates leave without one (issue 18): the inline
// rows' fields (named by their column and row), the select2 boxes of the autocomplete fields
// (named by their field's label), the split date and time of a date-time field, the search bar.
(function () {
  "use strict";
  function labelled(field) {
    if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) return true;
    return field.id && document.querySelector('label[for="' + field.id + '"]') !== null;
  }
  function name(field, text) {
    if (text && !labelled(field)) field.setAttribute("aria-label", text.trim());
  }
  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) return label.textContent.replace(/:$/, "");
    var cell = select.closest("td");
    var table = cell && cell.closest("table");
    if (!table) return "";
    var header = table.querySelectorAll("thead th")[Array.prototype.indexOf.call(cell.parentNode.children, cell)];
    return header ? header.textContent : "";
  }
  function nameAll() {
    document.querySelectorAll(".inline-group .tabular tbody tr").forEach(function (row, index) {
      row.querySelectorAll("td").forEach(function (cell, column) {
        var header = row.closest("table").querySelectorAll("thead th")[column];
        var title = header ? header.textContent.trim() : "";
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          name(field, title + ", row " + (index + 1));
        });
      });
    });
    document.querySelectorAll("p.datetime input").forEach(function (field) {
      var label = field.closest(".form-row, .fieldBox, div");
      var text = label && label.querySelector("label");
      name(field, (text ? text.textContent.replace(/:$/, "") + ", " : "") + (/_0$/.test(field.id) ? "date" : "time"));
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      if (!box) return;
      var text = labelOf(select);
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      box.querySelectorAll('[role="combobox"]').forEach(function (part) {
        // select2 names the box by the chosen value (nothing when none is chosen): by the field's label
        if (label) {
          if (!label.id) label.id = select.id + "-label";
          part.setAttribute("aria-labelledby", label.id);
        } else if (text) {
          part.removeAttribute("aria-labelledby");
          part.setAttribute("aria-label", text.trim());
        }
      });
      box.querySelectorAll(".select2-search__field, .select2-selection__rendered").forEach(function (part) { name(part, text); });
    });
    var search = document.getElementById("searchbar");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();

// The search form's choosers: a field marked data-choices="archive" asks the site which codes
// what was typed may mean (/search/choices/archive.json?q=...) and lists them, by name, in the
// field's <datalist>. Without this script the fields still take codes.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) return;
        asked = text;
        var url = "/search/choices/" + input.dataset.choices + ".json?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "omit" })
          .then(function (response) { return response.ok ? response.json() : { choices: [] }; })
          .then(function (data) {
            if (asked !== text) return;  // a later answer is on its way
            list.replaceChildren();
            data.choices.forEach(function (choice) {
              var option = document.createElement("option");
              option.value = choice.value;
              option.label = choice.label;
              option.textContent = choice.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the field still takes a code */ });
      }, 200);
    });
  }
  document.querySelectorAll("input[data-choices]").forEach(attach);
})();

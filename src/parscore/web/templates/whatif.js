// Progressive enhancement: with scripts on, "Chấm lại" re-scores without reloading the page (the same POST;
// the server answers with the what-if panel alone, which is swapped in). Without scripts the form posts and the whole page comes back.
(function () {
  if (!window.fetch || !window.DOMParser) { return; }
  function enhance(form) {
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "save") { return; }  // saving downloads a file: let it post
      event.preventDefault();
      var button = document.getElementById("whatif-run");
      if (button) { button.disabled = true; }
      fetch(form.action.split("#")[0], { method: "POST", body: new FormData(form), credentials: "same-origin",
                                         headers: { "X-Parscore-Panel": "whatif" } })
        .then(function (response) { return response.text(); })
        .then(function (text) {
          var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("whatif");
          var panel = document.getElementById("whatif");
          if (!fresh || !panel) { form.submit(); return; }
          panel.replaceWith(fresh);
          enhance(document.getElementById("whatif-form"));
        })
        .catch(function () { form.submit(); });
    });
  }
  enhance(document.getElementById("whatif-form"));
})();

// Progressive enhancement: with scripts on, "Chấm lại" (and "Áp dụng kế hoạch" on the plan panel) re-scores without
// reloading the page (the same POST; the server answers with the what-if panel alone, which is swapped in and shown).
// Without scripts the form posts and the whole page comes back.
(function () {
  if (!window.fetch || !window.DOMParser) { return; }
  function enhance(form, reveal) {
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "save") { return; }  // saving downloads a file: let it post
      event.preventDefault();
      var button = event.submitter || form.querySelector("button");
      if (button) { button.disabled = true; }
      fetch(form.action.split("#")[0], { method: "POST", body: new FormData(form), credentials: "same-origin",
                                         headers: { "X-Parscore-Panel": "whatif" } })
        .then(function (response) { return response.text(); })
        .then(function (text) {
          var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("whatif");
          var panel = document.getElementById("whatif");
          if (!fresh || !panel) { form.submit(); return; }
          panel.replaceWith(fresh);
          enhance(document.getElementById("whatif-form"), false);
          if (button) { button.disabled = false; }
          if (reveal) { fresh.scrollIntoView(); }
        })
        .catch(function () { form.submit(); });
    });
  }
  enhance(document.getElementById("whatif-form"), false);
  enhance(document.getElementById("plan-apply-form"), true);
})();

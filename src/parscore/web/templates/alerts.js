// Progressive enhancement: with scripts on, the alerts panel fills itself once the page is shown (the replay
// takes a few seconds, the rest of the page does not wait for it) and "Xem cảnh báo" reloads only the panel.
// Without scripts the form asks for the whole page with the panel filled.
(function () {
  if (!window.fetch || !window.DOMParser) { return; }
  function load(form) {
    var url = form.action.split("#")[0] + "?now=" + encodeURIComponent(form.elements.now.value);
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("alerts");
        var panel = document.getElementById("alerts");
        if (!fresh || !panel) { form.submit(); return; }
        panel.replaceWith(fresh);
        enhance(document.getElementById("alerts-form"));
      });
  }
  function enhance(form) {
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = document.getElementById("alerts-run");
      if (button) { button.disabled = true; }
      load(form).catch(function () { form.submit(); });
    });
  }
  var form = document.getElementById("alerts-form");
  enhance(form);
  if (form && document.getElementById("alerts-pending")) { load(form).catch(function () {}); }
})();

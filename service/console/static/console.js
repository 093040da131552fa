// anjuan console: the little behaviour pages need, without inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  // A form sent back with errors: go to the first field that needs correcting.
  var invalid = document.querySelector(".field.invalid input, .field.invalid select, .field.invalid textarea");
  if (invalid) {
    invalid.scrollIntoView({ block: "center" });
    invalid.focus();
  }
  // Ask before an action that cannot be undone (buttons marked data-confirm).
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
});

// A link marked data-back, hidden until this script runs, goes back to the previous
// page (no inline script, so the Content-Security-Policy keeps working).
document.querySelectorAll("[data-back]").forEach(function (link) {
  if (window.history.length > 1) {
    link.hidden = false;
  }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
});

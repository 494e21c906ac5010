// The staff menu: on a phone it is closed behind its "Menu" button, so the page starts with the page and
// not with twenty links; on a wider screen it is always open. Without this script it stays open.
(function () {
  var menu = document.currentScript && document.currentScript.previousElementSibling;
  if (!menu || !menu.classList.contains("site-menu")) return;
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fit() { menu.open = !narrow.matches; }
  fit();
  narrow.addEventListener("change", fit);
})();

// Progressive enhancement of the attendance sheet: a live count above the save button.
// The sheet works without this file; it only adds feedback while the leader ticks.
(function () {
  "use strict";
  var form = document.querySelector("[data-sheet]");
  if (!form) { return; }
  var output = form.querySelector("[data-sheet-count]");
  var rows = form.querySelectorAll(".mark-row");
  // The words come translated from the page (data-present, …), so this file holds no language.
  var words = output ? output.dataset : {};
  function update() {
    var counts = { present: 0, excused: 0, absent: 0, blank: 0 };
    rows.forEach(function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      counts[checked ? checked.value : "blank"] += 1;
    });
    if (output && rows.length) {
      output.textContent = counts.present + " " + words.present + " · " + counts.excused + " " + words.excused +
        " · " + counts.absent + " " + words.absent + " · " + counts.blank + " " + words.blank;
    }
  }
  form.addEventListener("change", update);
  update();
})();

// /reserves/: the board fills the window below its header (the columns scroll on their own inside it).
(function () {
  function fitBoard() {
    const board = document.getElementById("board");
    if (!board || board.offsetParent === null) return;
    const top = board.getBoundingClientRect().top + window.scrollY;
    board.style.setProperty("--yz-board-top", `${Math.round(top)}px`);
  }
  document.addEventListener("DOMContentLoaded", fitBoard);
  window.addEventListener("resize", fitBoard);
})();

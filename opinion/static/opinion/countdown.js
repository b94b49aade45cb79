// Progressive enhancement: the server already wrote the time left in words; this keeps it counting.
(function () {
  function words(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return (d ? d + "天" : "") + (h || d ? h + "小时" : "") + m + "分";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-countdown")) - now;
      el.textContent = left >= 0 ? "剩余" + words(left) : "已超期" + words(left);
    });
  }
  setInterval(tick, 30000);
})();

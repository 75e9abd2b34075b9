// LTI login, no platform storage offered: check that this browser keeps the partitioned probe cookie that came
// with this page. If it does, the state cookie will work; if not, tell the server so it can fall back.
(function () {
  var form = document.getElementById('continue');
  if (!form) return;
  var ok = document.cookie.split(';').some(function (c) {
    return c.trim().indexOf('waymark_probe=1') === 0;
  });
  form.elements.namedItem('waymark_cookies').value = ok ? 'available' : 'blocked';
  form.submit();
})();

// LTI client-side postMessage platform storage (lti.put_data): keep the login's browser-binding secret with the
// platform, then continue to the platform's authorization endpoint.
(function () {
  var d = document.body.dataset;
  var target = d.target === '_parent' ? window.parent : window.parent.frames[d.target] || window.parent;
  var messageId = 'put-' + Math.random().toString(36).slice(2);
  var done = false;
  function fail() {
    if (done) return;
    done = true;
    document.getElementById('status').hidden = true;
    document.getElementById('fallback').hidden = false;
  }
  window.addEventListener('message', function (event) {
    if (event.origin !== d.origin || !event.data || event.data.message_id !== messageId) return;
    if (event.data.subject !== 'lti.put_data.response' || event.data.error) return fail();
    done = true;
    window.location.replace(d.next);
  });
  try {
    target.postMessage({ subject: 'lti.put_data', message_id: messageId, key: d.key, value: d.value }, d.origin);
  } catch {
    fail();
  }
  setTimeout(fail, 5000);
})();

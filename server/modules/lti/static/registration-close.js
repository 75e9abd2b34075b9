// LTI Dynamic Registration 1.0: ask the platform to close the registration window.
(function () {
  var opener = window.opener || window.parent;
  if (opener && opener !== window) opener.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
})();

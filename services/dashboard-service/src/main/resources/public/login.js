/* The login page's only script: a file, not inline, so the Content-Security-Policy can forbid inline scripts. */
'use strict';

if (new URLSearchParams(location.search).has('error')) {
  document.getElementById('login-error').hidden = false;
}

// The app's own behaviour, kept in one file so no inline script is needed (strict CSP).
"use strict";

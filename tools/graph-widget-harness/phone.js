"use strict";
document.getElementById("phone").src = "index.html" + location.search;

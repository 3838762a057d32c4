// The CMDB import page: sends the form with XMLHttpRequest to show upload progress, then puts the server's answer
// (the same page, rendered with the result) in place. Without JavaScript the form posts as usual.
(function () {
    'use strict';
    function init() {
        var form = document.getElementById('import-form');
        if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            var box = document.getElementById('import-progress-box');
            var bar = document.getElementById('import-progress');
            var status = document.getElementById('import-status');
            var button = form.querySelector('button[type=submit]');
            box.hidden = false;
            button.disabled = true;
            status.textContent = 'Uploading…';
            var xhr = new XMLHttpRequest();
            xhr.open('POST', form.getAttribute('action') || window.location.href);
            xhr.upload.onprogress = function (e) {
                if (!e.lengthComputable) return;
                bar.max = e.total;
                bar.value = e.loaded;
                status.textContent = 'Uploading… ' + Math.round(100 * e.loaded / e.total) + '%';
            };
            xhr.upload.onload = function () {
                bar.removeAttribute('value'); // indeterminate while the server imports
                status.textContent = 'Importing…';
            };
            xhr.onload = function () {
                var page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
                var fresh = page.getElementById('import-main');
                var current = document.getElementById('import-main');
                if (fresh && current) {
                    current.replaceWith(fresh);
                    init();
                    var focus = document.getElementById('import-result') || document.getElementById('form-errors');
                    if (focus) { focus.setAttribute('tabindex', '-1'); focus.focus(); }
                } else {
                    status.textContent = 'The import failed (HTTP ' + xhr.status + '). Try again, or post the form without JavaScript.';
                    button.disabled = false;
                }
            };
            xhr.onerror = function () {
                status.textContent = 'The upload was interrupted. Check the connection and try again.';
                button.disabled = false;
            };
            xhr.send(new FormData(form));
        });
    }
    init();
})();

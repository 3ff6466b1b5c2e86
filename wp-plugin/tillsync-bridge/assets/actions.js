/*
 * Tillsync Bridge: follows the tab's running action through admin-ajax.php (which asks the
 * sidecar, signed, on the server), moves the import's progress bar, and reloads the page
 * once the action is over so the result is drawn by the server in the merchant's language.
 */
(function () {
    'use strict';
    var config = window.tillsyncActions;
    var result = document.querySelector('[data-tillsync-result][data-state="running"]');
    if (!config || !result || !result.getAttribute('data-action-id')) {
        return;
    }
    var progress = document.querySelector('[data-tillsync-progress]');

    function showProgress(answer) {
        if (!progress || !answer.progress) {
            return;
        }
        progress.setAttribute('data-done', String(answer.progress.done));
        progress.setAttribute('data-total', String(answer.progress.total));
        var bar = progress.querySelector('progress');
        if (bar) {
            bar.max = Math.max(1, answer.progress.total);
            bar.value = answer.progress.done;
        }
        var text = progress.querySelector('.tillsync-progress-text');
        if (text) {
            text.textContent = answer.progress.text;
        }
    }

    function poll() {
        var query = '?action=' + encodeURIComponent(config.action)
            + '&_ajax_nonce=' + encodeURIComponent(config.nonce)
            + '&id=' + encodeURIComponent(result.getAttribute('data-action-id'));
        fetch(config.url + query, { credentials: 'same-origin' })
            .then(function (response) { return response.json(); })
            .then(function (answer) {
                if (!answer || !answer.success) {
                    window.setTimeout(poll, 3000);
                    return;
                }
                showProgress(answer.data);
                if (answer.data.state !== 'running') {
                    window.location.reload();
                    return;
                }
                window.setTimeout(poll, 1000);
            })
            .catch(function () { window.setTimeout(poll, 3000); });
    }

    window.setTimeout(poll, 1000);
}());

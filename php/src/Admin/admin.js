// The hosting panels page: its forms answered in place through admin-ajax.php
// (each form also works as a plain POST without this script), and the
// progress of a running sync polled until it ends.
(function () {
  'use strict';
  var config = window.wuNativeAdmin;
  var root = document.querySelector('.wu-native-admin');
  if (!config || !root) {
    return;
  }

  function post(fields) {
    return fetch(config.ajaxUrl, { method: 'POST', body: fields, credentials: 'same-origin' })
      .then(function (response) { return response.json(); })
      .catch(function () { return { ok: false, message: config.i18n.failed }; });
  }

  function replaceSection(id, html) {
    var old = document.getElementById(id);
    if (!old || !html) {
      return old;
    }
    var holder = document.createElement('div');
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    old.replaceWith(fresh);
    return fresh;
  }

  function say(span, answer) {
    if (!span) {
      return;
    }
    span.textContent = answer.message || '';
    span.className = 'wu-native-answer ' + (answer.ok ? 'is-ok' : 'is-error');
  }

  var polling = false;
  function poll() {
    var section = document.getElementById('wu-native-apply');
    var status = section && section.getAttribute('data-status');
    if (polling || (status !== 'queued' && status !== 'running')) {
      return;
    }
    polling = true;
    window.setTimeout(function () {
      var fields = new FormData();
      fields.set('action', 'wu_native_progress');
      fields.set('_wpnonce', section.getAttribute('data-progress-nonce'));
      post(fields).then(function (answer) {
        polling = false;
        if (!answer.html) {
          return;
        }
        replaceSection('wu-native-apply', answer.html);
        replaceSection('wu-native-activity', answer.activity);
        if (answer.status !== 'queued' && answer.status !== 'running') {
          replaceSection('wu-native-drift', answer.drift);
        }
        poll();
      });
    }, 1000);
  }

  root.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-wu-native-action]');
    if (!form) {
      return;
    }
    event.preventDefault();
    var action = form.getAttribute('data-wu-native-action');
    var prune = form.querySelector('input[name="prune"]');
    if (prune && prune.checked && !window.confirm(config.i18n.confirmPrune)) {
      return;
    }
    var button = form.querySelector('[type="submit"]');
    var span = form.querySelector('.wu-native-answer');
    var fields = new FormData(form);
    fields.set('action', 'wu_native_' + action);
    button.disabled = true;
    if (span) {
      span.textContent = config.i18n.working;
      span.className = 'wu-native-answer';
    }
    post(fields).then(function (answer) {
      button.disabled = false;
      var section = answer.html ? replaceSection('wu-native-' + action, answer.html) : null;
      if (section) {
        span = section.querySelector('form[data-wu-native-action] .wu-native-answer');
      }
      say(span, answer);
      if (answer.activity) {
        replaceSection('wu-native-activity', answer.activity);
      }
      if (action === 'apply' && answer.status === 'done') {
        replaceSection('wu-native-drift', answer.drift);
      }
      poll();
    });
  });

  poll();
})();

// The personal tab. Runs in the browser (Teams web/desktop client); talks to /api/tab/* with the
// Teams SSO token. Outside Teams in sandbox mode, the sandbox's local token issuer stands in.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var dutch = /^nl/i.test(navigator.language || '');
  var t = dutch
    ? { dial: 'Bellen', call: 'Bel', hangup: 'Ophangen', directory: 'Bedrijfsgids', recent: 'Recente gesprekken', Alerting: 'Je telefoon gaat over…', Active: 'Verbonden', Released: 'Gesprek beëindigd', notLinked: 'Niet gekoppeld aan een KPN EEN-lijn' }
    : { dial: 'Dial', call: 'Call', hangup: 'Hang up', directory: 'Directory', recent: 'Recent calls', Alerting: 'Your phone is ringing…', Active: 'Connected', Released: 'Call ended', notLinked: 'Not linked to a KPN EEN line' };
  $('dial-title').textContent = t.dial; $('call').textContent = t.call; $('hangup').textContent = t.hangup;
  $('search-title').textContent = t.directory; $('recent-title').textContent = t.recent;
  document.documentElement.lang = dutch ? 'nl' : 'en';

  var token;
  var currentCall;

  function getToken() {
    if (token) return Promise.resolve(token);
    var teams = window.microsoftTeams;
    var fromTeams = teams && teams.app
      ? teams.app.initialize().then(function () { return teams.authentication.getAuthToken(); })
      : Promise.reject(new Error('not in Teams'));
    return fromTeams.catch(function () {
      return fetch('/sandbox/teams/tab/token', { method: 'POST' }).then(function (r) {
        if (!r.ok) throw new Error('no Teams sign-in');
        return r.json();
      }).then(function (b) { return b.token; });
    }).then(function (tk) { token = tk; return tk; });
  }

  function api(method, path, body) {
    return getToken().then(function (tk) {
      var init = { method: method, headers: { authorization: 'Bearer ' + tk, 'accept-language': navigator.language || 'en' } };
      if (body) { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
      return fetch('/api/tab/' + path, init);
    }).then(function (r) {
      if (r.status === 204) return undefined;
      return r.json().then(function (b) { if (!r.ok) throw new Error(b.error ? b.error.message : r.statusText); return b; });
    });
  }

  function show(text, isError) { var s = $('status'); s.textContent = text; s.className = isError ? 'error' : ''; }

  function watch(callId) {
    currentCall = callId;
    $('hangup').hidden = false;
    var poll = function () {
      if (currentCall !== callId) return;
      api('GET', 'calls/' + encodeURIComponent(callId)).then(function (c) {
        show(t[c.state] || c.state);
        if (c.state === 'Released') { $('hangup').hidden = true; currentCall = undefined; loadRecent(); }
        else setTimeout(poll, 1000);
      }, function (e) { show(e.message, true); });
    };
    setTimeout(poll, 1000);
  }

  function call(target) {
    show('…');
    api('POST', 'calls', { target: target }).then(function (c) { show(t.Alerting + ' ' + c.target); watch(c.callId); }, function (e) { show(e.message, true); });
  }

  function item(text, target) {
    var li = document.createElement('li');
    li.appendChild(document.createTextNode(text + ' '));
    if (target) { var b = document.createElement('button'); b.type = 'button'; b.textContent = t.call; b.onclick = function () { call(target); }; li.appendChild(b); }
    return li;
  }

  function loadRecent() {
    api('GET', 'recent').then(function (b) {
      var ul = $('recent'); ul.textContent = '';
      b.calls.forEach(function (c) { ul.appendChild(item((c.name ? c.name + ' · ' : '') + c.phoneNumber + ' · ' + new Date(c.time).toLocaleString(), c.phoneNumber)); });
    }, function () { /* shown by the status line on use */ });
  }

  '123456789+0#'.split('').forEach(function (d) {
    if (d === '#') return;
    var b = document.createElement('button'); b.type = 'button'; b.textContent = d;
    b.onclick = function () { $('number').value += d; };
    $('pad').appendChild(b);
  });
  $('dial').onsubmit = function (e) { e.preventDefault(); call($('number').value); };
  $('hangup').onclick = function () { if (currentCall) api('DELETE', 'calls/' + encodeURIComponent(currentCall)).then(function () { show(t.Released); }, function (e) { show(e.message, true); }); };
  $('search').onsubmit = function (e) {
    e.preventDefault();
    api('GET', 'directory?q=' + encodeURIComponent($('query').value)).then(function (b) {
      var ul = $('hits'); ul.textContent = '';
      b.entries.forEach(function (p) { ul.appendChild(item(p.displayName + ' · ' + [p.extension, p.number].filter(Boolean).join(' · '), p.extension || p.number)); });
    }, function (e) { show(e.message, true); });
  };
  api('GET', 'me').then(function (me) {
    $('me').textContent = (me.displayName || me.email || '') + (me.linked ? ' · ' + (me.number || '') : ' · ' + t.notLinked);
    loadRecent();
  }, function (e) { show(e.message, true); });
})();

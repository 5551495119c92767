// trialint HTML report: filters by severity and check (also read from the
// URL: #severity=warning,error&check=date-order), and links between
// findings and their highlighted spans. Works offline; no dependencies.
(function () {
  'use strict';
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  var findings = all('li.finding');
  var marks = all('mark[data-f]');
  var records = all('section.record');
  var sevBoxes = all('input[name="severity"]');
  var checkBoxes = all('input[name="check"]');

  function parseHash() {
    var h = location.hash.replace(/^#/, '');
    if (h.indexOf('=') < 0) { return null; }
    var out = { severity: null, check: null, finding: null };
    h.split('&').forEach(function (part) {
      var i = part.indexOf('=');
      if (i < 0) { return; }
      var key, value;
      try {
        key = decodeURIComponent(part.slice(0, i));
        value = decodeURIComponent(part.slice(i + 1));
      } catch (e) { return; }
      var list = value.split(',').filter(function (x) { return x.length > 0; });
      if (key === 'severity') { out.severity = list; }
      if (key === 'check') { out.check = list; }
      if (key === 'finding') { out.finding = value; }
    });
    return out;
  }

  function setBoxes(f) {
    sevBoxes.forEach(function (b) { b.checked = !f.severity || f.severity.indexOf(b.value) >= 0; });
    checkBoxes.forEach(function (b) { b.checked = !f.check || f.check.indexOf(b.value) >= 0; });
  }

  function chosen(boxes) {
    var m = {};
    boxes.forEach(function (b) { if (b.checked) { m[b.value] = true; } });
    return m;
  }

  function apply() {
    var sev = chosen(sevBoxes);
    var chk = chosen(checkBoxes);
    var shown = 0;
    var visible = {};
    findings.forEach(function (li) {
      var ok = !!sev[li.getAttribute('data-severity')] && !!chk[li.getAttribute('data-check')];
      li.hidden = !ok;
      if (ok) { shown += 1; visible[li.id] = true; }
    });
    marks.forEach(function (m) {
      var on = m.getAttribute('data-f').split(' ').some(function (id) { return visible[id]; });
      m.classList.toggle('off', !on);
    });
    records.forEach(function (r) {
      r.hidden = !r.querySelector('li.finding:not([hidden])');
    });
    var count = document.getElementById('shown-count');
    if (count) { count.textContent = String(shown); }
    document.body.setAttribute('data-shown', String(shown));
  }

  function writeHash() {
    var parts = [];
    var sv = sevBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var ck = checkBoxes.filter(function (b) { return b.checked; }).map(function (b) { return encodeURIComponent(b.value); });
    if (sv.length !== sevBoxes.length) { parts.push('severity=' + sv.join(',')); }
    if (ck.length !== checkBoxes.length) { parts.push('check=' + ck.join(',')); }
    var url = location.pathname + location.search + (parts.length ? '#' + parts.join('&') : '');
    try { history.replaceState(null, '', url); } catch (e) { /* file: URLs in some browsers */ }
  }

  function fromHash() {
    var f = parseHash();
    if (f) { setBoxes(f); apply(); focus(f); }
  }

  // #finding=f3 opens on one finding with its spans highlighted.
  function focus(f) {
    if (!f || !f.finding) { return; }
    var li = document.getElementById(f.finding);
    if (li && li.classList.contains('finding')) {
      highlight('mark[data-f~="' + li.id + '"]', li, true);
    }
  }

  function clearHighlight() {
    all('mark.hl').forEach(function (m) { m.classList.remove('hl'); });
    all('li.finding.active').forEach(function (li) { li.classList.remove('active'); });
  }

  function openSource(el) {
    var d = el.closest('details');
    if (d && !d.open) { d.open = true; }
  }

  function highlight(selector, li, instant) {
    clearHighlight();
    var ms = all(selector);
    ms.forEach(function (m) { m.classList.add('hl'); });
    if (li) { li.classList.add('active'); }
    if (ms.length) {
      openSource(ms[0]);
      ms[0].scrollIntoView({ block: 'center', behavior: instant ? 'auto' : 'smooth' });
    }
  }

  findings.forEach(function (li) {
    li.addEventListener('click', function (ev) {
      var a = ev.target.closest('a.lbl');
      if (a) {
        ev.preventDefault();
        highlight('mark[data-l~="' + a.getAttribute('data-l') + '"]', li);
      } else {
        highlight('mark[data-f~="' + li.id + '"]', li);
      }
    });
  });

  marks.forEach(function (m) {
    m.addEventListener('click', function () {
      if (m.classList.contains('off')) { return; }
      var ids = m.getAttribute('data-f').split(' ');
      var first = null;
      clearHighlight();
      ids.forEach(function (id) {
        var li = document.getElementById(id);
        if (li && !li.hidden) {
          li.classList.add('active');
          if (!first) { first = li; }
        }
      });
      m.classList.add('hl');
      if (first) { first.scrollIntoView({ block: 'center', behavior: 'smooth' }); }
    });
  });

  sevBoxes.concat(checkBoxes).forEach(function (b) {
    b.addEventListener('change', function () { apply(); writeHash(); });
  });
  var reset = document.getElementById('reset');
  if (reset) {
    reset.addEventListener('click', function () { setBoxes({ severity: null, check: null }); apply(); writeHash(); });
  }
  window.addEventListener('hashchange', fromHash);
  var f = parseHash();
  if (f) { setBoxes(f); }
  apply();
  focus(f);
  document.body.setAttribute('data-ready', 'yes');
})();

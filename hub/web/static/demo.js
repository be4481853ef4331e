// Demo page loader: reads ?channel=<id> (and optionally ?lang=en|fr) and
// adds the widget tag the way a customer would paste it on their own site.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var channel = params.get('channel') || '';
  var lang = params.get('lang') || '';
  function start() {
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(channel)) {
      var note = document.getElementById('demo-note');
      if (note) note.hidden = false;
      return;
    }
    var s = document.createElement('script');
    s.src = '/widget.js';
    s.async = true;
    s.setAttribute('data-channel', channel);
    s.setAttribute('data-title', 'Hôtel des Tests');
    if (/^[a-z]{2}$/.test(lang)) s.setAttribute('data-lang', lang);
    document.body.appendChild(s);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

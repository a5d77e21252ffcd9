// Local UI state only (Alpine CSP build: components are registered here, no inline expressions are evaluated).
(function () {
  var stored = localStorage.getItem('vip-theme');
  if (stored) { document.documentElement.setAttribute('data-theme', stored); }

  document.addEventListener('alpine:init', function () {
    window.Alpine.data('themeToggle', function () {
      return {
        toggle: function () {
          var dark = document.documentElement.getAttribute('data-theme') === 'dark'
            || (!document.documentElement.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
          var next = dark ? 'light' : 'dark';
          document.documentElement.setAttribute('data-theme', next);
          localStorage.setItem('vip-theme', next);
        }
      };
    });
  });

  // Selects marked data-autosubmit submit their form on change (the tenant switcher).
  document.addEventListener('change', function (event) {
    if (event.target.matches('select[data-autosubmit]')) { event.target.form.requestSubmit(); }
  });

  // Toasts: a response may carry HX-Trigger {"toast": "message"}.
  document.addEventListener('toast', function (event) {
    var box = document.getElementById('toasts');
    if (!box) { return; }
    var item = document.createElement('div');
    item.className = 'alert alert-success';
    item.textContent = event.detail.value || event.detail;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 4000);
  });
})();

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

  // Toasts rendered by the server (after a redirect) fade out by themselves, also after HTMX page swaps.
  function dismissToasts() {
    document.querySelectorAll('[data-dismiss-after]').forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, Number(toast.getAttribute('data-dismiss-after')));
      toast.removeAttribute('data-dismiss-after');
    });
  }
  document.addEventListener('DOMContentLoaded', dismissToasts);
  document.addEventListener('htmx:afterSettle', dismissToasts);
})();

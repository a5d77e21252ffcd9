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

    // A job's log follows new lines while the reader is at its end and stops when they scroll up to read. It also
    // moves the stream address's "after" to the last line shown: htmx opens a fresh stream after an HTTP error
    // (a restart behind the proxy), which loses the browser's Last-Event-ID, and must not repeat lines then.
    window.Alpine.data('jobLog', function () {
      return {
        following: true,
        init: function () {
          var box = this.$el;
          var self = this;
          box.addEventListener('scroll', function () {
            self.following = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
          });
          box.addEventListener('htmx:sseMessage', function () {
            var last = box.querySelector('li[data-seq]:last-child');
            var stream = box.closest('[sse-connect]');
            if (last && stream) {
              stream.setAttribute('sse-connect',
                stream.getAttribute('sse-connect').replace(/after=\d+/, 'after=' + last.getAttribute('data-seq')));
            }
            if (self.following) { box.scrollTop = box.scrollHeight; }
          });
          box.scrollTop = box.scrollHeight;
        }
      };
    });
  });

  document.addEventListener('alpine:init', function () {
    // A copy button copies the text of the element named by its data-copy attribute (a deploy key, a webhook address).
    window.Alpine.data('copyText', function () {
      return {
        copied: false,
        copy: function () {
          var source = document.getElementById(this.$el.getAttribute('data-copy'));
          var self = this;
          if (!source || !navigator.clipboard) { return; }
          navigator.clipboard.writeText(source.textContent.trim()).then(function () {
            self.copied = true;
            setTimeout(function () { self.copied = false; }, 2000);
          });
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

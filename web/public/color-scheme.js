// Runs before the console's JavaScript so the first paint already has the right theme.
// The key and values are Mantine's localStorageColorSchemeManager's; "auto" follows the system.
// A file, not an inline script: the console's Content-Security-Policy allows scripts from 'self' only.
(function () {
  try {
    var stored = window.localStorage.getItem('mantine-color-scheme-value');
    var scheme = stored === 'light' || stored === 'dark' ? stored : 'auto';
    if (scheme === 'auto') scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
  } catch {
    // Storage can be blocked (privacy modes); the console then starts in the light theme.
  }
})();

const next = new URLSearchParams(location.search).get('next');
window.location.href = next; // want: open-redirect

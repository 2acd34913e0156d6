const q = new URLSearchParams(window.location.search).get('q');
document.querySelector('#results-title').innerHTML = `Results for <em>${q}</em>`; // want: xss

$(function () {
  const q = new URLSearchParams(location.search).get('q');
  $('#search-summary').html('You searched for <b>' + q + '</b>'); // want: xss
});

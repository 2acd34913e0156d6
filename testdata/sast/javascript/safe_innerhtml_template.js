function renderList(items) {
  const ul = document.getElementById('list');
  ul.innerHTML = items.map((i) => `<li>${escapeHtml(i.name)}</li>`).join('');
}

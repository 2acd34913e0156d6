async function render() {
  const data = await (await fetch('/api/banner')).json();
  document.getElementById('banner').textContent = data.text;
  document.getElementById('count').innerHTML = String(Number(data.count));
}

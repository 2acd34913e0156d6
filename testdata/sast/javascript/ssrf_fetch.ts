export async function preview(req, res) {
  const target = String(req.query.url);
  const page = await fetch(target); // want: ssrf
  res.send(await page.text());
}

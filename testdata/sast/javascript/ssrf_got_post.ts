import got from 'got';

export async function ping(req, res) {
  const url = req.body.webhook;
  await got.post(url, { json: { ok: true } }); // want: ssrf
  res.sendStatus(204);
}

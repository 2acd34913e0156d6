const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, 'docs');

app.get('/docs/:name', (req, res) => {
  const p = path.resolve(ROOT, req.params.name);
  if (!p.startsWith(ROOT + path.sep)) {
    return res.sendStatus(400);
  }
  res.send(fs.readFileSync(p, 'utf8'));
});

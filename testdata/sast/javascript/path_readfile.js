const fs = require('fs/promises');
const path = require('path');

app.get('/docs/:name', async (req, res) => {
  const body = await fs.readFile(path.join(__dirname, 'docs', req.params.name), 'utf8'); // want: path-traversal
  res.type('text/markdown').send(body);
});

const axios = require('axios');

app.get('/repo', async (req, res) => {
  const r = await axios.get('https://api.github.com/repos/' + encodeURIComponent(req.query.name));
  res.json(r.data);
});

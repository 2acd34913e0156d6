const serialize = require('node-serialize');

app.get('/profile', (req, res) => {
  const profile = serialize.unserialize(Buffer.from(req.cookies.p, 'base64').toString()); // want: unsafe-deserialization
  res.json(profile);
});

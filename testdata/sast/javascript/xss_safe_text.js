app.get('/hello', (req, res) => {
  res.json({ greeting: 'Hello ' + req.query.name });
  res.send('<h1>Hello</h1>');
});

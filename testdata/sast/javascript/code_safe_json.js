app.post('/rules', (req, res) => {
  const rule = JSON.parse(req.body.rule);
  setTimeout(() => res.json(rule), 10);
});

app.post('/rules', (req, res) => {
  const rule = req.body.rule;
  const ok = eval('(' + rule + ')'); // want: code-injection
  res.json({ ok });
});

app.get('/go', (req, res) => {
  res.redirect('/articles/' + encodeURIComponent(req.query.slug));
});

router.get('/posts', async (req, res) => {
  const posts = await sequelize.query(`SELECT * FROM posts WHERE author = '${req.query.author}'`); // want: sql-injection
  res.json(posts);
});

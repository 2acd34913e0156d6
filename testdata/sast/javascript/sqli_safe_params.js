router.get('/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE customer = $1', [req.query.customer]);
  const limit = 50;
  await pool.query(`SELECT * FROM audit ORDER BY at DESC LIMIT ${limit}`);
  res.json(rows);
});

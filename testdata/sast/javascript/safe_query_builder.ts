export async function list(req, res) {
  const rows = await knex('orders').where({ status: req.query.status }).orderBy('created_at', 'desc');
  res.json(rows);
}

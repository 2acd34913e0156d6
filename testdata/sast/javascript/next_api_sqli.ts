import type { NextApiRequest, NextApiResponse } from 'next';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rows = await db.query('SELECT * FROM items WHERE owner = \'' + req.query.owner + '\''); // want: sql-injection
  res.status(200).json(rows);
}

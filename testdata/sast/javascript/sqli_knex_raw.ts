import { Request, Response } from 'express';

export async function search(req: Request, res: Response) {
  const term = req.query.term as string;
  const rows = await knex.raw(`SELECT * FROM docs WHERE title ILIKE '%${term}%'`); // want: sql-injection
  res.json(rows);
}

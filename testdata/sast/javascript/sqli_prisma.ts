export async function byEmail(req, res) {
  const { email } = req.body;
  const users = await prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`); // want: sql-injection
  res.json(users);
}

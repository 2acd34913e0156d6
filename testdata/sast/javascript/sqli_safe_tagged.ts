export async function byEmail(req, res) {
  const users = await prisma.user.findMany({ where: { email: req.body.email } });
  res.json(users);
}

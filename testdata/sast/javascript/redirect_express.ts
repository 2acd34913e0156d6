export function afterLogin(req, res) {
  const dest = req.query.redirect_uri as string;
  res.redirect(302, dest); // want: open-redirect
}

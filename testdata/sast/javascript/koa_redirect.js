router.get('/out', async (ctx) => {
  ctx.redirect(ctx.query.to); // want: open-redirect
});

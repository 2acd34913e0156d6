const { execSync } = require('child_process');

const ALLOWED = ['status', 'log', 'diff'];

app.get('/git/:cmd', (req, res) => {
  const cmd = req.params.cmd;
  if (!ALLOWED.includes(cmd)) {
    return res.sendStatus(400);
  }
  res.send(execSync('git ' + cmd).toString());
});

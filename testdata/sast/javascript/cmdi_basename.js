const { exec } = require('child_process');
const path = require('path');

app.get('/ls', (req, res) => {
  exec('ls -la /srv/' + path.basename(req.query.dir), (e, out) => res.send(out)); // want: command-injection
});

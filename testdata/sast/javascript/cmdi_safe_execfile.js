const { execFile, exec } = require('child_process');

app.post('/convert', (req, res) => {
  execFile('ffmpeg', ['-i', `uploads/${req.body.file}`, 'out.mp4'], (err) => res.sendStatus(err ? 500 : 200));
  exec('npm --version', () => {});
});

const { exec } = require('child_process');

app.post('/convert', (req, res) => {
  const file = req.body.file;
  exec(`ffmpeg -i uploads/${file} out.mp4`, (err) => { // want: command-injection
    res.sendStatus(err ? 500 : 200);
  });
});

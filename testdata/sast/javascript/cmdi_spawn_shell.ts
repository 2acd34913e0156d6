import { spawn } from 'child_process';

export function run(req, res) {
  const child = spawn(`git log --author=${req.query.author}`, { shell: true }); // want: command-injection
  child.stdout.pipe(res);
}

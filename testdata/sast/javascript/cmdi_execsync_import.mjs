import cp from 'node:child_process';
import childProcess from 'child_process';

export function archive(req) {
  return childProcess.execSync('tar czf out.tgz ' + req.params.dir); // want: command-injection
}

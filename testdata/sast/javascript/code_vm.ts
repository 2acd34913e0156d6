import vm from 'vm';

export function evaluate(req, res) {
  const result = vm.runInNewContext(req.body.script, { Math }); // want: code-injection
  res.json({ result });
}

export function download(req, res) {
  res.sendFile('/srv/exports/' + req.query.file); // want: path-traversal
}

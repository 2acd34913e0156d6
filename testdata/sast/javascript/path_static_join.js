const path = require('path');
const fs = require('fs');

module.exports = function (req, res) {
  const file = path.join(process.cwd(), 'public', req.url);
  fs.createReadStream(file).pipe(res); // want: path-traversal
};

const fs = require('fs');

fs.chmodSync('/var/run/app.sock', 0o777); // want: world-writable

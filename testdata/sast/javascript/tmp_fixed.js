const fs = require('fs');

fs.writeFileSync('/tmp/build-cache.json', JSON.stringify(cache)); // want: predictable-tempfile

const cors = require('cors');

app.use(cors({ credentials: true, origin: true })); // want: cors-credentials

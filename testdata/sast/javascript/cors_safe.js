const cors = require('cors');

app.use(cors({ credentials: true, origin: ['https://app.example.com'] }));

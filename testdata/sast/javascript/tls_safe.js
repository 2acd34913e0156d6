const tls = require('tls');

const socket = tls.connect({ host: 'db.internal', port: 5432, rejectUnauthorized: true });

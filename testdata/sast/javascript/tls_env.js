process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // want: insecure-tls
module.exports = require('./client');

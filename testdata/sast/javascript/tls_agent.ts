import https from 'https';
import axios from 'axios';

const client = axios.create({
  httpsAgent: new https.Agent({ rejectUnauthorized: false }), // want: insecure-tls
});

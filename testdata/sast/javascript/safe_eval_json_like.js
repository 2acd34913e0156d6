const config = JSON.parse(process.env.APP_CONFIG || '{}');
const timeout = Number(config.timeout) || 30;
setTimeout(() => process.exit(0), timeout * 1000);

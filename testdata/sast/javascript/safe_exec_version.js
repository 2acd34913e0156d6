const { execSync } = require('child_process');

const version = execSync('git describe --tags').toString().trim();
module.exports = { version };

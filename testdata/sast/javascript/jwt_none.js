const jwt = require('jsonwebtoken');

module.exports = (req, res, next) => {
  req.user = jwt.verify(req.headers.authorization, process.env.JWT_KEY, { algorithms: ['none'] }); // want: jwt-unverified
  next();
};

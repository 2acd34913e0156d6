const mysql = require('mysql2');
const pool = mysql.createPool(config);

router.get('/orders', (req, res) => {
  const customer = req.query.customer;
  pool.query("SELECT * FROM orders WHERE customer = '" + customer + "'", (err, rows) => { // want: sql-injection
    res.json(rows);
  });
});

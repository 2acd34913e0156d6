from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/products")
def products():
    category = request.args.get("category", "")
    sql = "SELECT id, name FROM products WHERE category = '{}'".format(category)
    cur = db.cursor()
    cur.execute(sql)  # want: sql-injection
    return jsonify(cur.fetchall())

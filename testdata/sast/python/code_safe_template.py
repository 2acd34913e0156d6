from flask import request, render_template_string


@app.route("/greet")
def greet():
    return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", "world"))

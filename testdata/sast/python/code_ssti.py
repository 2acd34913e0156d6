from flask import request, render_template_string


@app.route("/greet")
def greet():
    name = request.args.get("name", "world")
    return render_template_string("<p>Hello " + name + "</p>")  # want: code-injection

import yaml
from flask import request


@app.post("/pipelines")
def upload_pipeline():
    spec = yaml.load(request.data, Loader=yaml.Loader)  # want: unsafe-deserialization
    return {"steps": len(spec["steps"])}

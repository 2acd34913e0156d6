from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/files/{name}")
async def get_file(name: str):
    return FileResponse(open(f"/srv/files/{name}", "rb"))  # want: path-traversal

import httpx
from fastapi import FastAPI

api = FastAPI()


@api.get("/unfurl")
async def unfurl(url: str):
    async with httpx.AsyncClient() as client:
        r = await client.get(url)  # want: ssrf
    return {"title": r.text[:100]}

import os

API_KEY = os.getenv("API_KEY")
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")

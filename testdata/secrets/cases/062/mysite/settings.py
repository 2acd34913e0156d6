from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-(z53p3@*@5sqntl(n-*vwz888q^+08#n(7nmc1bu#2(nakdy8("
DEBUG = False

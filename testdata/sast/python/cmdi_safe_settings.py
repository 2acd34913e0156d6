import subprocess
from django.conf import settings


def rebuild_index():
    subprocess.run(settings.REINDEX_COMMAND, shell=True, check=True)

import requests


def sync_inventory(session_url, token):
    r = requests.post(session_url, headers={"Authorization": token}, verify=False)  # want: insecure-tls
    r.raise_for_status()

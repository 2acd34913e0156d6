import requests


def sync_inventory(url):
    return requests.post(url, verify="/etc/pki/internal-ca.pem", timeout=10)

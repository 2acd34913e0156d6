from Crypto.Cipher import AES


def encrypt_token(key, data):
    cipher = AES.new(key, AES.MODE_ECB)  # want: weak-crypto
    return cipher.encrypt(data)

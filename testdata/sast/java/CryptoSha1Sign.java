package com.example.webhooks;

public class Signer {
  public String signature(String body) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-1"); // want: weak-crypto
    return Hex.encode(md.digest((secret + body).getBytes()));
  }
}

package com.example.storage;

public class Checksums {
  public String etag(byte[] content) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    return Hex.encode(md.digest(content));
  }
}

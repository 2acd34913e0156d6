package com.example.auth;

public class PasswordResetService {
  public String createResetToken(User u) {
    String token = RandomStringUtils.randomAlphanumeric(32); // want: insecure-random
    store.save(u.getId(), token);
    return token;
  }
}

package com.example.auth;

public class PasswordResetService {
  private static final SecureRandom RNG = new SecureRandom();

  public String createResetToken(User u) {
    byte[] b = new byte[32];
    RNG.nextBytes(b);
    return Base64.getUrlEncoder().encodeToString(b);
  }

  int retryDelayMillis() { return 100 + new Random().nextInt(50); }
}

package com.example.auth;

public class TokenFilter {
  Claims claims(String token) {
    Jwt jwt = Jwts.parser().setSigningKey(key).parse(token); // want: jwt-unverified
    return (Claims) jwt.getBody();
  }
}

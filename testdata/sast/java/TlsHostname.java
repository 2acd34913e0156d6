package com.example.http;

public class Insecure {
  static void install() {
    HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> true); // want: insecure-tls
  }
}

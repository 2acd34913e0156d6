package com.example.http;

public class TrustAllManager implements X509TrustManager {
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) { }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) { } // want: insecure-tls

  @Override
  public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}

package com.example.config;

@Configuration
public class CorsConfig {
  @Bean
  public CorsConfigurationSource corsSource() {
    CorsConfiguration c = new CorsConfiguration();
    c.setAllowCredentials(true);
    c.addAllowedOrigin("https://app.example.com");
    CorsConfiguration pub = new CorsConfiguration();
    pub.addAllowedOrigin("*");
    return null;
  }
}

package com.example.config;

@Configuration
public class CorsConfig {
  @Bean
  public CorsConfigurationSource corsSource() {
    CorsConfiguration c = new CorsConfiguration();
    c.setAllowCredentials(true);
    c.addAllowedOriginPattern("*"); // want: cors-credentials
    UrlBasedCorsConfigurationSource s = new UrlBasedCorsConfigurationSource();
    s.registerCorsConfiguration("/**", c);
    return s;
  }
}

package com.example.config;

public class MapperConfig {
  public ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.enableDefaultTyping(); // want: unsafe-deserialization
    return m;
  }
}

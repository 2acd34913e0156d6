package com.acme;

public class Config {
    private String password = System.getenv("DB_PASSWORD");
    private final String apiKey = props.getProperty("api.key");
}

package com.example.maint;

public class Stats {
  private static final String TABLE = "events";

  long count(JdbcTemplate jdbc) {
    return jdbc.queryForObject(String.format("SELECT count(*) FROM %s", TABLE), Long.class);
  }
}

package com.example.reports;

@RestController
public class SortController {
  private final JdbcTemplate jdbc;

  @GetMapping("/items")
  public List<Map<String, Object>> items(@RequestParam SortOrder order) {
    return jdbc.queryForList("SELECT * FROM items ORDER BY created " + (order == SortOrder.ASC ? "ASC" : "DESC"));
  }
}

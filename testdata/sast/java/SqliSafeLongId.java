package com.example.orders;

@RestController
public class OrderController {
  private final JdbcTemplate jdbc;

  @GetMapping("/orders/{id}")
  public Map<String, Object> order(@PathVariable Long id) {
    return jdbc.queryForMap("SELECT * FROM orders WHERE id = " + id);
  }
}

package com.example.users;

@RestController
public class UserController {
  private final JdbcTemplate jdbc;

  @GetMapping("/users")
  public List<Map<String, Object>> find(@RequestParam String name) {
    String sql = "SELECT * FROM users WHERE name = '" + name + "'";
    return jdbc.queryForList(sql); // want: sql-injection
  }
}

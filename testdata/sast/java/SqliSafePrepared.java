package com.example.users;

@RestController
public class UserController {
  private final JdbcTemplate jdbc;

  @GetMapping("/users")
  public List<Map<String, Object>> find(@RequestParam String name) {
    return jdbc.queryForList("SELECT * FROM users WHERE name = ?", name);
  }
}
